package dev.ciobridge.outbox;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Meters of the intake and the delivery, served on {@code /observe/metrics}. */
public final class DeliveryMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final AtomicLong pending = new AtomicLong();

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("cio_bridge_outbox_pending", pending, AtomicLong::get)
                .description("Track API operations waiting in the outbox, as of the dispatcher's last pass")
                .register(registry);
    }

    public void webhook(String source, String outcome) {
        counter("cio_bridge_webhook_events", "Webhook events by source and outcome", "source", source, "outcome", outcome).increment();
    }

    public void delivered(int operations) {
        counter("cio_bridge_operations", "Track API operations by outcome", "outcome", "delivered").increment(operations);
    }

    public void retried(int operations) {
        counter("cio_bridge_operations", "Track API operations by outcome", "outcome", "retried").increment(operations);
    }

    public void deadLettered(int operations) {
        counter("cio_bridge_operations", "Track API operations by outcome", "outcome", "dead_lettered").increment(operations);
    }

    public void trackResponse(int status) {
        counter("cio_bridge_track_requests", "Track API requests by HTTP status", "status", Integer.toString(status)).increment();
    }

    public void pending(long count) {
        pending.set(count);
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + String.join(",", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }
}
