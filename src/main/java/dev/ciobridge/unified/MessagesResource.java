package dev.ciobridge.unified;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.ApiSurface;
import dev.ciobridge.customerio.PathSegments;

/**
 * Messages are Customer.io deliveries ({@code GET /v1/messages}); creating one sends a transactional message
 * ({@code POST /v1/send/{channel}}).
 */
final class MessagesResource extends ResourceHandler {

    /** Customer.io's maximum {@code limit} of {@code GET /v1/messages}. */
    static final int MAX_PER_CALL = 1000;
    static final Set<String> TYPES = Set.of("email", "webhook", "twilio", "whatsapp", "slack", "push", "in_app",
            "live_notification");
    static final Set<String> METRICS = Set.of("attempted", "sent", "delivered", "opened", "clicked", "converted",
            "bounced", "spammed", "unsubscribed", "dropped", "failed", "undeliverable");
    static final Set<String> CHANNELS = Set.of("email", "sms", "push");
    /** Send fields passed to Customer.io as they are, besides the ones this class maps. */
    static final Set<String> SEND_OPTIONS = Set.of("subject", "body", "body_plain", "body_amp", "preheader", "from",
            "reply_to", "bcc", "fake_bcc", "attachments", "headers", "tracked", "disable_css_preprocessing", "language",
            "disable_message_retention", "send_to_unsubscribed", "queue_draft", "title", "message", "image_url", "link",
            "sound", "custom_data", "custom_device", "custom_payload");
    static final Set<String> SEND_FIELDS;

    static {
        java.util.Set<String> fields = new java.util.TreeSet<>(SEND_OPTIONS);
        fields.addAll(List.of("channel", "template_id", "to", "contact", "data", "send_at"));
        SEND_FIELDS = java.util.Collections.unmodifiableSet(fields);
    }

    MessagesResource(CustomerIoCalls calls) {
        super(calls, "messages", Set.of("GET", "POST"), Set.of("GET"));
    }

    @Override
    Set<String> listFilters() {
        return Set.of("campaign_id", "type", "metric", "created_after", "created_before");
    }

    @Override
    ListPage list(UnifiedRequest request, ListWindow window) {
        StringBuilder filters = new StringBuilder();
        String campaign = request.query.get("campaign_id");
        if (campaign != null) {
            if (!campaign.matches("[1-9]\\d{0,17}")) {
                throw ApiException.badRequest("Query parameter 'campaign_id' must be a positive integer, got '" + campaign + "'");
            }
            filters.append("&campaign_id=").append(campaign);
        }
        filters.append(choice(request, "type", TYPES)).append(choice(request, "metric", METRICS));
        Long after = time(request, "created_after");
        Long before = time(request, "created_before");
        if (after != null && before != null && after > before) {
            throw ApiException.badRequest("Query parameter 'created_after' must not be later than 'created_before'");
        }
        if (after != null) {
            filters.append("&start_ts=").append(after);
        }
        if (before != null) {
            filters.append("&end_ts=").append(before);
        }
        return RemoteLists.cursorList(window, MAX_PER_CALL, (start, limit) -> calls.get(request, ApiSurface.APP,
                "/v1/messages?limit=" + limit + filters + ContactsResource.startParameter(start)),
                "messages", MessagesResource::map);
    }

    @Override
    Object get(UnifiedRequest request) {
        JsonNode message = calls.get(request, ApiSurface.APP, "/v1/messages/" + PathSegments.encode(request.id)).path("message");
        return map(message);
    }

    /**
     * Sends a transactional message: {@code channel} (email, sms or push; email when absent), {@code template_id}
     * (the template's id or trigger name, required unless an email gives {@code body}, {@code subject} and
     * {@code from}), {@code to}, {@code contact} (exactly one of id, email or cio_id),
     * {@code data} (the Liquid {@code trigger} variables), {@code send_at}, and Customer.io's send options as they are.
     */
    @Override
    Object create(UnifiedRequest request) {
        JsonNode body = request.jsonObject();
        SegmentsResource.rejectUnknown(body, SEND_FIELDS);
        String channel = body.path("channel").asText("email");
        if (!CHANNELS.contains(channel)) {
            throw ApiException.badRequest("Field 'channel' must be one of " + new java.util.TreeSet<>(CHANNELS) + ", got '"
                    + channel + "'");
        }

        ObjectNode send = Json.MAPPER.createObjectNode();
        JsonNode template = body.get("template_id");
        if (template != null && !template.isNull()) {
            if (!(template.isTextual() && !template.asText().isBlank()) && !template.isIntegralNumber()) {
                throw ApiException.badRequest("Field 'template_id' must be a template id or trigger name");
            }
            send.set("transactional_message_id", template);
        } else {
            requireOwnContent(body, channel);
        }
        JsonNode to = body.get("to");
        if (to != null && !to.isNull()) {
            if (!to.isTextual() || to.asText().isBlank()) {
                throw ApiException.badRequest("Field 'to' must be a non-empty string");
            }
            send.set("to", to);
        } else if (!channel.equals("push")) {
            throw ApiException.badRequest("Missing field 'to': the recipient is required for " + channel + " messages");
        }

        send.set("identifiers", contact(body.get("contact")));
        JsonNode data = body.get("data");
        if (data != null && !data.isNull()) {
            if (!data.isObject()) {
                throw ApiException.badRequest("Field 'data' must be an object");
            }
            send.set("message_data", data);
        }
        if (body.has("send_at") && !body.get("send_at").isNull()) {
            send.put("send_at", ContactWrite.timestamp(body.get("send_at"), "send_at"));
        }
        for (String option : SEND_OPTIONS) {
            if (body.has(option)) {
                send.set(option, body.get(option));
            }
        }

        JsonNode answer = calls.send(request, ApiSurface.TRANSACTIONAL, "POST", "/v1/send/" + channel, send);
        Map<String, Object> message = UnifiedFields.object(UnifiedFields.text(answer.get("delivery_id")));
        message.put("type", channel);
        message.put("campaign_id", null);
        message.put("template_id", template == null || template.isNull() ? null : template.asText());
        message.put("recipient", to == null || to.isNull() ? null : to.asText());
        message.put("subject", UnifiedFields.text(body.get("subject")));
        message.put("contact_id", ContactMapper.contactId(send.get("identifiers")));
        message.put("status", "queued");
        message.put("created_at", UnifiedFields.iso(answer.get("queued_at")));
        message.put("metrics", Map.of());
        message.put("remote_data", answer);
        return message;
    }

    /**
     * Rejects a send without {@code template_id} unless it carries its own content: Customer.io sends an email without
     * {@code transactional_message_id} only when the request gives {@code body}, {@code subject} and {@code from},
     * and SMS and push sends always need a template.
     */
    private static void requireOwnContent(JsonNode body, String channel) {
        if (!channel.equals("email")) {
            throw ApiException.badRequest("Missing field 'template_id': " + channel + " messages need a transactional "
                    + "message template id or trigger name");
        }
        List<String> missing = new java.util.ArrayList<>();
        for (String field : List.of("body", "subject", "from")) {
            JsonNode value = body.get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                missing.add(field);
            }
        }
        if (!missing.isEmpty()) {
            throw ApiException.badRequest("Missing field 'template_id': give a transactional message template id or "
                    + "trigger name, or send the email's own 'body', 'subject' and 'from' (missing or empty: " + missing + ")");
        }
    }

    private static JsonNode contact(JsonNode contact) {
        if (contact == null || !contact.isObject() || contact.size() != 1) {
            throw ApiException.badRequest("Field 'contact' must be an object with exactly one of id, email or cio_id");
        }
        Map.Entry<String, JsonNode> entry = contact.fields().next();
        if (!Set.of("id", "email", "cio_id").contains(entry.getKey())) {
            throw ApiException.badRequest("Field 'contact' must be an object with exactly one of id, email or cio_id, got '"
                    + entry.getKey() + "'");
        }
        String value = ContactWrite.identifier(entry.getKey(), entry.getValue(), "contact." + entry.getKey()).value();
        ObjectNode identifiers = Json.MAPPER.createObjectNode();
        identifiers.put(entry.getKey(), value);
        return identifiers;
    }

    private static String choice(UnifiedRequest request, String parameter, Set<String> allowed) {
        String value = request.query.get(parameter);
        if (value == null) {
            return "";
        }
        if (!allowed.contains(value)) {
            throw ApiException.badRequest("Query parameter '" + parameter + "' must be one of "
                    + new java.util.TreeSet<>(allowed) + ", got '" + value + "'");
        }
        return "&" + parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Long time(UnifiedRequest request, String parameter) {
        String value = request.query.get(parameter);
        return value == null ? null : ContactWrite.timestamp(Json.MAPPER.getNodeFactory().textNode(value), parameter);
    }

    static Map<String, Object> map(JsonNode message) {
        if (!message.isObject()) {
            throw new ApiException(502, "Customer.io returned a delivery that is not an object");
        }
        Map<String, Object> unified = UnifiedFields.object(UnifiedFields.text(message.get("id")));
        unified.put("type", UnifiedFields.text(message.get("type")));
        unified.put("campaign_id", UnifiedFields.text(message.get("campaign_id")));
        unified.put("template_id", UnifiedFields.text(message.get("message_template_id")));
        unified.put("recipient", UnifiedFields.text(message.get("recipient")));
        unified.put("subject", UnifiedFields.text(message.get("subject")));

        JsonNode identifiers = message.path("customer_identifiers");
        unified.put("contact_id", identifiers.isObject() ? ContactMapper.contactId(identifiers) : null);

        Map<String, Object> metrics = new LinkedHashMap<>();
        String status = null;
        long latest = Long.MIN_VALUE;
        Iterator<Map.Entry<String, JsonNode>> fields = message.path("metrics").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> metric = fields.next();
            String iso = UnifiedFields.iso(metric.getValue());
            if (iso != null) {
                metrics.put(metric.getKey(), iso);
                if (metric.getValue().asLong() >= latest) {
                    latest = metric.getValue().asLong();
                    status = metric.getKey();
                }
            }
        }

        unified.put("status", status);
        unified.put("created_at", UnifiedFields.iso(message.get("created")));
        unified.put("metrics", metrics);
        unified.put("remote_data", message);
        return unified;
    }
}
