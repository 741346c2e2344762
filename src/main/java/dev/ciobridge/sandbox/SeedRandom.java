package dev.ciobridge.sandbox;

/**
 * Deterministic pseudo-random values derived from a seed and an index, so the same seed always yields the same
 * workspace and any generated record can be rebuilt from its index alone instead of being stored.
 */
final class SeedRandom {

    private SeedRandom() {
    }

    /** Mixes seed, index and a salt with the SplitMix64 finaliser; equal inputs always give equal outputs. */
    static long mix(long seed, long index, long salt) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + salt * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Returns a value in [0, bound) for the given inputs. */
    static int below(long seed, long index, long salt, int bound) {
        return (int) Long.remainderUnsigned(mix(seed, index, salt), bound);
    }

    /** Returns true with the given probability in percent (0 to 100). */
    static boolean chance(long seed, long index, long salt, int percent) {
        return below(seed, index, salt, 100) < percent;
    }

    /** Returns {@code length} lower-case hex digits derived from the inputs. */
    static String hex(long seed, long index, long salt, int length) {
        StringBuilder out = new StringBuilder(length);
        long value = mix(seed, index, salt);
        int round = 0;
        while (out.length() < length) {
            if (round > 0 && round % 16 == 0) {
                value = mix(value, index, salt + round);
            }
            out.append(Character.forDigit((int) ((value >>> ((round % 16) * 4)) & 0xF), 16));
            round++;
        }
        return out.toString();
    }
}
