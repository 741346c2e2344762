package dev.ciobridge.outbox;

import java.util.List;

import dev.ciobridge.customerio.TrackEntity;

/** One event from a webhook source, with the Track API operations it maps to (in the order they are sent). */
public record SourceEvent(String eventId, List<TrackEntity> operations) {
}
