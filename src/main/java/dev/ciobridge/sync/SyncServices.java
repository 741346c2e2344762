package dev.ciobridge.sync;

import dev.ciobridge.accounts.AccountStore;

/** The stores and clients a sync run uses, and the settings of every run (the {@code cio-bridge.syncs.*} properties). */
record SyncServices(
        SourceDatabases sources,
        SnapshotStore snapshots,
        RunStore runs,
        AccountStore accounts,
        SyncCalls calls,
        int fetchSize,
        int batchMaxBytes,
        int batchMaxItems,
        int concurrency,
        long progressIntervalMillis) {
}
