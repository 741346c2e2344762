-- Idempotency keys of unified API writes (POST and PATCH), scoped per integrated account. A row is inserted before
-- Customer.io is called and completed with the response, so a repeated key gets the stored response and concurrent
-- requests with one key cannot both call Customer.io. Works on H2 and PostgreSQL; times are epoch milliseconds.
CREATE TABLE idempotency_key (
    account_id       VARCHAR(40)     NOT NULL,
    idempotency_key  VARCHAR(255)    NOT NULL,
    -- SHA-256 (hex) of the method, path, query and body, to detect a key reused for another request.
    request_hash     VARCHAR(64)     NOT NULL,
    -- NULL while the first request with this key is still running.
    response_status  INT,
    response_body    VARCHAR(1000000),
    created_at       BIGINT          NOT NULL,
    completed_at     BIGINT,
    PRIMARY KEY (account_id, idempotency_key)
);
CREATE INDEX idempotency_key_age ON idempotency_key (created_at);
