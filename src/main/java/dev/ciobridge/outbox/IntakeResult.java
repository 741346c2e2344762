package dev.ciobridge.outbox;

import java.util.List;

/** Per event of a request: whether it was stored now or had been accepted before. */
public record IntakeResult(List<EventStatus> events) {

    public record EventStatus(String eventId, boolean duplicate) {
    }
}
