package dev.ciobridge.outbox;

/**
 * A Track API request that did not succeed, by kind: {@link RateLimited} (429), {@link Transient} (408, 5xx) or
 * {@link Rejected} (any other 4xx). The delivery route configuration decides what each kind leads to.
 */
public abstract class DeliveryException extends Exception {

    private final int status;

    DeliveryException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 429: Customer.io requests a slower pace, optionally with how long to wait. */
    public static final class RateLimited extends DeliveryException {
        private final Long retryAfterMillis;

        public RateLimited(String message, Long retryAfterMillis) {
            super(429, message);
            this.retryAfterMillis = retryAfterMillis;
        }

        /** Returns the wait Customer.io requested in {@code Retry-After}, or null when it sent none. */
        public Long retryAfterMillis() {
            return retryAfterMillis;
        }
    }

    /** 408 or 5xx: worth trying again later. */
    public static final class Transient extends DeliveryException {
        public Transient(int status, String message) {
            super(status, message);
        }
    }

    /** Any other 4xx: the request itself is wrong and will fail the same way again. */
    public static final class Rejected extends DeliveryException {
        public Rejected(int status, String message) {
            super(status, message);
        }
    }
}
