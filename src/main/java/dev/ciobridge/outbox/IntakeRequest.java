package dev.ciobridge.outbox;

import java.util.List;

/** The events of one webhook request for one account, stored together in one transaction. */
public record IntakeRequest(String accountId, String source, List<SourceEvent> events) {
}
