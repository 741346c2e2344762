package dev.ciobridge.sync;

import java.nio.charset.StandardCharsets;

/** 64-bit hashes of row keys and row contents: FNV-1a over the UTF-8 bytes, finished with MurmurHash3's fmix64. */
final class Hashes {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashes() {
    }

    /**
     * Accumulates a row's content without serialising it: FNV-1a over the UTF-16 code units of each part, each part
     * followed by a separator that cannot occur in a string, so that ("ab", "c") and ("a", "bc") differ.
     */
    static final class RowHash {

        private long hash = FNV_OFFSET;

        RowHash add(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                hash = (hash ^ (c & 0xff)) * FNV_PRIME;
                hash = (hash ^ (c >>> 8)) * FNV_PRIME;
            }
            return separator();
        }

        RowHash add(char tag) {
            hash = (hash ^ tag) * FNV_PRIME;
            return this;
        }

        private RowHash separator() {
            hash = (hash ^ 0x1ff) * FNV_PRIME;
            return this;
        }

        /** Returns the finished hash, never 0 (which marks an unconfirmed row) nor {@link SnapshotIndex#ABSENT}. */
        long finish() {
            long h = fmix(hash);
            return h == 0 || h == SnapshotIndex.ABSENT ? 1 : h;
        }
    }

    static long of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    static long of(byte[] bytes) {
        long hash = FNV_OFFSET;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return fmix(hash);
    }

    private static long fmix(long value) {
        long hash = value;
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }
}
