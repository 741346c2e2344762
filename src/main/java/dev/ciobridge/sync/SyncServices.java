package dev.ciobridge.sync;

import dev.ciobridge.accounts.AccountStore;

/** What a sync run works with, and the settings of every run (the {@code cio-bridge.syncs.*} properties). */
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
