package dev.ciobridge.sync;

import java.nio.charset.StandardCharsets;

/** 64-bit hashes of row keys and row contents: FNV-1a over the UTF-8 bytes, finished with MurmurHash3's fmix64. */
final class Hashes {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashes() {
    }

    /** Hashes a row's content, never to 0 (which marks an unconfirmed row) nor to {@link SnapshotIndex#ABSENT}. */
    static long row(String canonicalJson) {
        long hash = of(canonicalJson);
        return hash == 0 || hash == SnapshotIndex.ABSENT ? 1 : hash;
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
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }
}
