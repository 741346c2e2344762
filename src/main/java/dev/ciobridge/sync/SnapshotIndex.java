package dev.ciobridge.sync;

import java.util.function.LongConsumer;

/**
 * The in-memory part of a sync's snapshot during one run: an open-addressing table (linear probing) from the 64-bit
 * hash of a row key to the 64-bit hash of that row as last confirmed, plus two flags per entry. It takes 17 bytes per
 * slot and stays at most half full, so a million keys need about 34 to 68 MB; the keys themselves stay in the
 * database.
 *
 * <p>NOTE: two different keys with the same 64-bit hash would share an entry. With a million keys the chance that any
 * two collide is about 3 in 100 million.
 */
final class SnapshotIndex {

    /** Set on an entry when the run has read its key. */
    static final byte SEEN = 1;
    /** Set on an entry whose key is not in the stored snapshot (read for the first time, or not yet confirmed). */
    static final byte NEW = 2;
    /** Returned by {@link #rowHash} for a key the table does not hold. */
    static final long ABSENT = Long.MIN_VALUE;

    private long[] keys;
    private long[] values;
    private byte[] flags;
    private int size;
    private int mask;

    SnapshotIndex(int expectedKeys) {
        int capacity = Integer.highestOneBit(Math.max(16, expectedKeys * 2 - 1)) << 1;
        allocate(capacity);
    }

    int size() {
        return size;
    }

    /** Stores the confirmed row hash of a key, as loaded from the database. */
    void putStored(long keyHash, long rowHash) {
        int slot = slotFor(normalise(keyHash));
        if (keys[slot] == 0) {
            claim(slot, normalise(keyHash), rowHash, (byte) 0);
        } else {
            values[slot] = rowHash;
        }
    }

    /**
     * Marks a key as read by this run and returns its stored row hash: {@link #ABSENT} when the snapshot has no such
     * key. Returns null when the run had already read the key, which makes the row a duplicate.
     */
    Long markSeen(long keyHash) {
        long key = normalise(keyHash);
        int slot = slotFor(key);
        if (keys[slot] == 0) {
            claim(slot, key, ABSENT, (byte) (SEEN | NEW));
            return ABSENT;
        }
        if ((flags[slot] & SEEN) != 0) {
            return null;
        }
        flags[slot] |= SEEN;
        return (flags[slot] & NEW) != 0 ? ABSENT : values[slot];
    }

    /** Returns whether the key's entry was in the stored snapshot. */
    boolean isStored(long keyHash) {
        int slot = slotFor(normalise(keyHash));
        return keys[slot] != 0 && (flags[slot] & NEW) == 0;
    }

    /** Calls the consumer with every stored key hash that this run did not read. */
    void forEachStoredUnseen(LongConsumer consumer) {
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != 0 && (flags[slot] & (SEEN | NEW)) == 0) {
                consumer.accept(keys[slot]);
            }
        }
    }

    /** Returns whether a stored key hash was left unread by this run. */
    boolean isStoredUnseen(long keyHash) {
        int slot = slotFor(normalise(keyHash));
        return keys[slot] != 0 && (flags[slot] & (SEEN | NEW)) == 0;
    }

    long rowHash(long keyHash) {
        int slot = slotFor(normalise(keyHash));
        return keys[slot] == 0 ? ABSENT : values[slot];
    }

    /** Hash 0 marks an empty slot, so a key that hashes to 0 is stored as 1. */
    static long normalise(long keyHash) {
        return keyHash == 0 ? 1 : keyHash;
    }

    private int slotFor(long key) {
        int slot = (int) (mix(key) & mask);
        while (keys[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void claim(int slot, long key, long value, byte flag) {
        keys[slot] = key;
        values[slot] = value;
        flags[slot] = flag;
        size++;
        if (size * 2 > keys.length) {
            grow();
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        byte[] oldFlags = flags;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int slot = slotFor(oldKeys[i]);
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
                flags[slot] = oldFlags[i];
                size++;
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new long[capacity];
        flags = new byte[capacity];
        mask = capacity - 1;
        size = 0;
    }

    private static long mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 32);
    }
}
