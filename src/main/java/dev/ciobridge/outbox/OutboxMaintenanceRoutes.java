package dev.ciobridge.outbox;

import java.time.Duration;

import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.app.Settings;

/**
 * Keeps the deduplication records bounded: every hour, the ids of events accepted longer ago than
 * {@code cio-bridge.webhooks.dedup-retention} are deleted. A source that repeats an event after that is no longer
 * recognised here, but its ULID still deduplicates it at Customer.io.
 */
public class OutboxMaintenanceRoutes extends RouteBuilder {

    public static final String PURGE_ROUTE = "received-event-purge";

    private static final Logger LOG = LoggerFactory.getLogger(OutboxMaintenanceRoutes.class);

    @Override
    public void configure() {
        OutboxStore store = getContext().getRegistry().lookupByNameAndType("outboxStore", OutboxStore.class);
        Duration retention = new Settings(getContext()).duration("cio-bridge.webhooks.dedup-retention", Duration.ofDays(7));

        from("timer:received-event-purge?delay=60000&period=3600000")
                .routeId(PURGE_ROUTE)
                .process(exchange -> {
                    int purged = store.purgeReceivedBefore(System.currentTimeMillis() - retention.toMillis());
                    if (purged > 0) {
                        LOG.info("Purged {} deduplication records older than {}", purged, retention);
                    }
                });
    }
}
