package dev.ciobridge.sandbox;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Transactional sends, {@code POST /v1/send/email|sms|push}: each validated send records a delivery and returns
 * {@code {"delivery_id","queued_at"}}. Errors use the send endpoints' envelope {@code {"meta":{"error"}}}.
 */
final class TransactionalSendHandler {

    /** Endpoint name to the template type it sends and the delivery type it records. */
    private static final Map<String, String[]> CHANNELS = Map.of(
            "email", new String[] {"email", "email"},
            "sms", new String[] {"sms", "twilio"},
            "push", new String[] {"push", "push"});
    /** Customer.io limits a send payload, attachments excluded, to 1 MB. */
    private static final int MAX_PAYLOAD_BYTES = 1024 * 1024;

    boolean handle(SimExchange exchange) {
        String[] channel = CHANNELS.get(exchange.segments[2]);
        if (channel == null) {
            throw ApiError.metaError(404, "transactional channel '" + exchange.segments[2] + "' is not simulated; use email, sms or push");
        }
        JsonNode body = exchange.json();
        if (body == null || !body.isObject()) {
            throw ApiError.metaError(400, "request body must be a JSON object");
        }
        int attachmentBytes = body.has("attachments") ? SandboxJson.write(body.get("attachments")).length : 0;
        if (exchange.bodyLength() - attachmentBytes > MAX_PAYLOAD_BYTES) {
            throw ApiError.metaError(413, "the payload without attachments must be at most " + MAX_PAYLOAD_BYTES + " bytes");
        }
        int templateId = template(body.get("transactional_message_id"), channel[0]);
        Identifier identifier = identifier(body.get("identifiers"));
        String to = SandboxJson.identifierText(body.get("to"));
        if ((to == null || to.isBlank()) && !channel[0].equals("push")) {
            throw ApiError.metaError(400, "to is required for " + channel[0] + " sends");
        }
        long now = System.currentTimeMillis() / 1000;
        ObjectNode answer = SandboxJson.object();
        SandboxWorkspace workspace = exchange.workspace;
        synchronized (workspace) {
            PersonRecord person = PersonOperations.personForEvent(workspace, identifier, now * 1000);
            if (person == null) {
                throw ApiError.metaError(400, "no person with " + identifier.type().parameter() + " '"
                        + identifier.value() + "' exists, or the identifier is suppressed");
            }
            String subject = body.path("subject").asText(null);
            DeliveryRecord delivery = workspace.deliveries.record(channel[1], templateId, person,
                    to == null ? "all" : to, subject, now);
            answer.put("delivery_id", delivery.deliveryId());
            answer.put("queued_at", now);
        }
        exchange.replyJson(200, answer);
        return true;
    }

    /** Resolves an integer id or a trigger name; email may omit it, and then counts under template 1. */
    private static int template(JsonNode value, String type) {
        if (value == null || value.isNull()) {
            if (type.equals("email")) {
                return 1;
            }
            throw ApiError.metaError(400, "transactional_message_id is required for " + type + " sends");
        }
        String text = SandboxJson.identifierText(value);
        int id = text == null ? 0 : Catalog.templateId(text);
        if (id == 0) {
            // NOTE: auto_create is not simulated; an unknown template is always rejected.
            throw ApiError.metaError(404, "transactional message '" + value.asText() + "' not found");
        }
        if (!Catalog.templateType(id).equals(type)) {
            throw ApiError.metaError(400, "transactional message " + id + " is a " + Catalog.templateType(id)
                    + " template and cannot be sent as " + type);
        }
        return id;
    }

    private static Identifier identifier(JsonNode identifiers) {
        if (identifiers == null || !identifiers.isObject() || identifiers.size() != 1) {
            throw ApiError.metaError(400, "identifiers must have exactly one of id, email or cio_id");
        }
        Map.Entry<String, JsonNode> entry = identifiers.fields().next();
        IdType type = IdType.fromParameter(entry.getKey());
        String value = SandboxJson.identifierText(entry.getValue());
        if (type == null || value == null || value.isEmpty()) {
            throw ApiError.metaError(400, "identifiers must have exactly one of id, email or cio_id");
        }
        return Identifier.of(type, value);
    }
}
