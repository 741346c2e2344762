package dev.ciobridge.outbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ciobridge.accounts.IntegratedAccount;
import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.CustomerIoClient;
import dev.ciobridge.customerio.CustomerIoErrors;
import dev.ciobridge.customerio.PathSegments;
import dev.ciobridge.customerio.Person;
import dev.ciobridge.customerio.RetryAfter;
import dev.ciobridge.customerio.TrackRateLimiters;
import dev.ciobridge.customerio.TrackResponse;

/**
 * Sends one {@link DeliveryBatch} to the Track API, within the workspace's rate limit. Several operations go to
 * {@code /api/v2/batch}; a single one goes to the v1 person endpoints when its identifier can be addressed there
 * (path segment percent-encoded), otherwise to {@code /api/v2/entity}. Failures are thrown as {@link DeliveryException}.
 */
public final class TrackSender {

    private static final byte[] BATCH_OPEN = "{\"batch\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BATCH_CLOSE = "]}".getBytes(StandardCharsets.UTF_8);

    private final CustomerIoClient client;
    private final TrackRateLimiters rateLimiters;
    private final DeliveryMetrics metrics;

    public TrackSender(CustomerIoClient client, TrackRateLimiters rateLimiters, DeliveryMetrics metrics) {
        this.client = client;
        this.rateLimiters = rateLimiters;
        this.metrics = metrics;
    }

    /** Bytes a batch adds around its items: the envelope and one comma per item after the first. */
    public static int batchOverhead(int items) {
        return BATCH_OPEN.length + BATCH_CLOSE.length + Math.max(0, items - 1);
    }

    public TrackResponse send(DeliveryBatch batch) throws IOException, InterruptedException, DeliveryException {
        IntegratedAccount account = batch.account();
        rateLimiters.acquire(account.id());
        TrackResponse response;
        if (batch.isSingle()) {
            response = sendSingle(account, batch.rows().get(0));
        } else {
            response = client.track(account.region(), account.trackCredentials(), "POST", "/api/v2/batch", batchBody(batch));
        }
        metrics.trackResponse(response.status());
        if (response.isSuccess()) {
            return response;
        }
        String reason = CustomerIoErrors.describe(response.status(), response.body());
        if (response.status() == 429) {
            throw new DeliveryException.RateLimited(reason, retryAfterMillis(response).orElse(null));
        }
        if (response.status() == 408 || response.status() >= 500) {
            throw new DeliveryException.Transient(response.status(), reason);
        }
        throw new DeliveryException.Rejected(response.status(), reason);
    }

    private TrackResponse sendSingle(IntegratedAccount account, OutboxRow row) throws IOException, InterruptedException {
        Person person = Person.fromKey(row.personKey());
        String pathIdentifier = person.v1PathIdentifier();
        if (pathIdentifier == null) {
            return client.track(account.region(), account.trackCredentials(), "POST", "/api/v2/entity",
                    row.entity().getBytes(StandardCharsets.UTF_8));
        }
        JsonNode entity = Json.MAPPER.readTree(row.entity());
        String customerPath = "/api/v1/customers/" + PathSegments.encode(pathIdentifier);
        if ("event".equals(entity.path("action").asText())) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("name", entity.path("name").asText());
            body.set("data", entity.path("attributes"));
            body.set("timestamp", entity.path("timestamp"));
            body.set("id", entity.path("id"));
            return client.track(account.region(), account.trackCredentials(), "POST", customerPath + "/events", Json.write(body));
        }
        ObjectNode attributes = entity.path("attributes").deepCopy();
        attributes.set("_timestamp", entity.path("timestamp"));
        return client.track(account.region(), account.trackCredentials(), "PUT", customerPath, Json.write(attributes));
    }

    private static byte[] batchBody(DeliveryBatch batch) {
        int size = batchOverhead(batch.rows().size());
        for (OutboxRow row : batch.rows()) {
            size += row.entityBytes();
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(size);
        out.writeBytes(BATCH_OPEN);
        boolean first = true;
        for (OutboxRow row : batch.rows()) {
            if (!first) {
                out.write(',');
            }
            out.writeBytes(row.entity().getBytes(StandardCharsets.UTF_8));
            first = false;
        }
        out.writeBytes(BATCH_CLOSE);
        return out.toByteArray();
    }

    /** Maximum wait taken from a {@code Retry-After} header, which caps longer values. */
    static final long MAX_RETRY_AFTER_MILLIS = RetryAfter.MAX_MILLIS;

    /** Reads {@code Retry-After} as seconds or as an HTTP date, capped at {@link #MAX_RETRY_AFTER_MILLIS}. */
    static Optional<Long> retryAfterMillis(TrackResponse response) {
        return RetryAfter.millis(response.headers());
    }
}
