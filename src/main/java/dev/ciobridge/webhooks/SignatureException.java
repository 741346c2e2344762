package dev.ciobridge.webhooks;

import dev.ciobridge.api.ApiException;

/** A webhook whose signature is missing, malformed, stale or wrong: rejected with 401, nothing stored. */
public final class SignatureException extends ApiException {

    public SignatureException(String message) {
        super(401, message);
    }
}
