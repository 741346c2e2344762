-- Audience syncs only: the id of the manual segment that a sync's snapshot describes. A run whose segment resolves to
-- another id (the segment parameter changed, or the segment was deleted and created again) discards the snapshot,
-- because the people the snapshot lists were added to the old segment only.
CREATE TABLE sync_segment (
    sync_id     VARCHAR(200)  NOT NULL PRIMARY KEY,
    segment_id  VARCHAR(200)  NOT NULL,
    updated_at  BIGINT        NOT NULL
);

-- Widened for the run status completed_with_failures (23 characters).
ALTER TABLE sync_run ALTER COLUMN status SET DATA TYPE VARCHAR(32);
