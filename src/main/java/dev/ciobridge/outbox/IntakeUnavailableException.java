package dev.ciobridge.outbox;

import dev.ciobridge.api.ApiException;

/** The intake cannot store a webhook right now (queue full, database failing, shutting down): a 503 the sender retries. */
public final class IntakeUnavailableException extends ApiException {

    public IntakeUnavailableException(String message) {
        super(503, message);
    }
}
