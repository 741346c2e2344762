-- Scheduled batch syncs: what each sync last confirmed at Customer.io, and the history of its runs.
-- Shared by H2 and PostgreSQL; times are epoch milliseconds in BIGINT columns.

-- One row per source key of a sync. key_hash and row_hash are 64-bit hashes, which a run loads into memory. row_hash 0
-- marks a row that Customer.io has not confirmed yet (rejected or failed), which every later run sends again. The rows
-- stay narrow so that loading a million of them is quick.
CREATE TABLE sync_snapshot (
    sync_id     VARCHAR(200)   NOT NULL,
    row_key     VARCHAR(400)   NOT NULL,
    key_hash    BIGINT         NOT NULL,
    row_hash    BIGINT         NOT NULL,
    updated_at  BIGINT         NOT NULL,
    PRIMARY KEY (sync_id, row_key)
);

-- Attribute syncs only: the attributes Customer.io holds for each person, as JSON, read only for rows that changed.
CREATE TABLE sync_snapshot_state (
    sync_id     VARCHAR(200)    NOT NULL,
    row_key     VARCHAR(400)    NOT NULL,
    state       VARCHAR(100000) NOT NULL,
    PRIMARY KEY (sync_id, row_key)
);

CREATE TABLE sync_run (
    id            VARCHAR(40)   NOT NULL PRIMARY KEY,
    sync_id       VARCHAR(200)  NOT NULL,
    -- schedule or manual
    trigger_type  VARCHAR(16)   NOT NULL,
    dry_run       BOOLEAN       NOT NULL,
    -- running, succeeded, failed or interrupted (the service stopped before the run ended)
    status        VARCHAR(16)   NOT NULL,
    started_at    BIGINT        NOT NULL,
    finished_at   BIGINT,
    rows_read     BIGINT        NOT NULL DEFAULT 0,
    unchanged     BIGINT        NOT NULL DEFAULT 0,
    sent          BIGINT        NOT NULL DEFAULT 0,
    removed       BIGINT        NOT NULL DEFAULT 0,
    invalid       BIGINT        NOT NULL DEFAULT 0,
    rejected      BIGINT        NOT NULL DEFAULT 0,
    failed        BIGINT        NOT NULL DEFAULT 0,
    retried       BIGINT        NOT NULL DEFAULT 0,
    api_calls     BIGINT        NOT NULL DEFAULT 0,
    error         VARCHAR(2000)
);
CREATE INDEX sync_run_by_sync ON sync_run (sync_id, started_at);

-- Rows a run did not sync, with the reason: invalid (found before sending), rejected (by Customer.io) or failed.
-- A run stores at most cio-bridge.syncs.max-problems-per-run of them; its counts still cover every row.
CREATE TABLE sync_run_problem (
    run_id      VARCHAR(40)    NOT NULL,
    seq         INT            NOT NULL,
    kind        VARCHAR(16)    NOT NULL,
    row_number  BIGINT,
    row_key     VARCHAR(400),
    field       VARCHAR(400),
    message     VARCHAR(2000)  NOT NULL,
    PRIMARY KEY (run_id, seq)
);
