package dev.ciobridge.webhooks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.HttpReplies;
import dev.ciobridge.outbox.DeliveryMetrics;
import dev.ciobridge.outbox.IntakeRequest;
import dev.ciobridge.outbox.IntakeResult;
import dev.ciobridge.outbox.OutboxWriter;

/**
 * Last step of every webhook route: stores the mapped events and responds only once they are committed. It completes
 * asynchronously, though Camel's Vert.x consumer still keeps its worker thread until then. The 200 response lists
 * each event as {@code accepted}, {@code duplicate} (accepted before, not stored again) or {@code ignored} (the route
 * chose not to forward it).
 */
public final class WebhookIntake extends AsyncProcessorSupport {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

    private final OutboxWriter writer;
    private final DeliveryMetrics metrics;

    public WebhookIntake(OutboxWriter writer, DeliveryMetrics metrics) {
        this.writer = writer;
        this.metrics = metrics;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        String source = exchange.getVariable(WebhookContext.SOURCE, String.class);
        IntakeRequest request = exchange.getVariable(WebhookContext.INTAKE, IntakeRequest.class);
        if (request == null) {
            String reason = exchange.getVariable(TrackMapping.SKIP, "no mapping produced an event", String.class);
            metrics.webhook(source, "ignored");
            LOG.debug("Ignored a {} webhook: {}", source, reason);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ignored");
            body.put("reason", reason);
            HttpReplies.json(exchange, 200, body);
            callback.done(true);
            return true;
        }
        writer.submit(request).whenComplete((result, error) -> {
            try {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    exchange.setException(cause instanceof ApiException ? cause : new ApiException(503, "Storing the webhook failed; retry it"));
                } else {
                    reply(exchange, source, result);
                }
            } finally {
                callback.done(false);
            }
        });
        return false;
    }

    private void reply(Exchange exchange, String source, IntakeResult result) {
        List<Map<String, Object>> events = new ArrayList<>(result.events().size());
        int duplicates = 0;
        for (IntakeResult.EventStatus status : result.events()) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("id", status.eventId());
            event.put("status", status.duplicate() ? "duplicate" : "accepted");
            events.add(event);
            if (status.duplicate()) {
                duplicates++;
            }
            metrics.webhook(source, status.duplicate() ? "duplicate" : "accepted");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", duplicates == events.size() ? "duplicate" : "accepted");
        body.put("events", events);
        HttpReplies.json(exchange, 200, body);
    }
}
