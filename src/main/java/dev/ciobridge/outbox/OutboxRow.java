package dev.ciobridge.outbox;

/** A stored Track API operation waiting for delivery. */
public record OutboxRow(long id, String accountId, String personKey, String source, String sourceEventId,
                        String entity, int entityBytes, int attempts, long createdAt) {
}
