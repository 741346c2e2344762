package dev.ciobridge.sandbox;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpMethod;

/**
 * The Pipelines (CDP) API: identify, track, page, screen, group, alias and batch. Like Customer.io it responds with 200
 * {@code {}} to everything and silently drops what is invalid, unless {@code X-Strict-Mode: 1} asks for 400s.
 */
final class PipelinesHandlers {

    private static final int CALL_BYTES = 32 * 1024;
    private static final int BATCH_BYTES = 500 * 1024;

    boolean handle(SimExchange exchange, boolean strict) {
        if (exchange.segments.length != 2 || !exchange.segments[0].equals("v1")
                || !exchange.method().equals(HttpMethod.POST)) {
            return false;
        }
        String call = exchange.segments[1];
        if (!List.of("identify", "track", "page", "screen", "group", "alias", "batch").contains(call)) {
            return false;
        }
        List<String> errors = new ArrayList<>(0);
        List<Runnable> changes = new ArrayList<>();
        boolean batch = call.equals("batch");
        JsonNode json = exchange.json();
        if (exchange.bodyLength() > (batch ? BATCH_BYTES : CALL_BYTES)) {
            errors.add("request body is " + exchange.bodyLength() + " bytes; the maximum is " + (batch ? BATCH_BYTES : CALL_BYTES));
        } else if (json == null || !json.isObject()) {
            errors.add("request body must be a JSON object");
        } else if (batch) {
            JsonNode items = json.get("batch");
            if (items == null || !items.isArray()) {
                errors.add("batch must be an array");
            } else {
                for (int i = 0; i < items.size(); i++) {
                    JsonNode item = items.get(i);
                    read(item.path("type").asText(""), item, "batch[" + i + "].", exchange.workspace, errors, changes);
                }
            }
        } else {
            read(call, json, "", exchange.workspace, errors, changes);
        }
        if (!errors.isEmpty()) {
            if (strict) {
                throw ApiError.trackV1(400, errors.toArray(String[]::new));
            }
            // Customer.io drops the whole invalid request without saying so; the count makes that visible to tests.
            exchange.workspace.pipelinesDropped.incrementAndGet();
            exchange.replyEmptyObject();
            return true;
        }
        synchronized (exchange.workspace) {
            changes.forEach(Runnable::run);
        }
        exchange.replyEmptyObject();
        return true;
    }

    /** Validates one call and adds the change it makes to {@code changes}, or its problems to {@code errors}. */
    private static void read(String type, JsonNode call, String prefix, SandboxWorkspace workspace, List<String> errors,
            List<Runnable> changes) {
        String userId = SandboxJson.identifierText(call.get("userId"));
        String anonymousId = SandboxJson.identifierText(call.get("anonymousId"));
        if (userId == null && anonymousId == null && !type.equals("alias")) {
            errors.add(prefix + "userId or anonymousId is required");
            return;
        }
        long now = System.currentTimeMillis();
        switch (type) {
            case "identify" -> {
                JsonNode traits = call.path("traits");
                if (userId == null) {
                    // NOTE: anonymous profiles are not simulated; an identify with only an anonymousId changes nothing.
                    return;
                }
                ObjectNode body = traits.isObject() ? ((ObjectNode) traits).deepCopy() : SandboxJson.object();
                body.remove("id");
                changes.add(() -> PersonOperations.identify(workspace, new Identifier(IdType.ID, userId), body, now));
            }
            case "track", "page", "screen" -> {
                JsonNode nameNode = call.get(type.equals("track") ? "event" : "name");
                String name = nameNode == null || !nameNode.isTextual() ? null : nameNode.textValue().strip();
                if (type.equals("track") && (name == null || name.isEmpty())) {
                    errors.add(prefix + "event is required");
                    return;
                }
                JsonNode properties = call.path("properties");
                EventRecord event = new EventRecord(name == null ? "" : name, type.equals("track") ? "event" : type, null, null,
                        properties.isObject() ? properties : SandboxJson.object(), userId == null ? anonymousId : null,
                        Surface.PIPELINES, now);
                changes.add(() -> {
                    PersonRecord person = userId == null ? null
                            : PersonOperations.personForEvent(workspace, new Identifier(IdType.ID, userId), now);
                    PersonOperations.addEvent(workspace, person, event);
                });
            }
            case "group" -> {
                if (SandboxJson.identifierText(call.get("groupId")) == null) {
                    errors.add(prefix + "groupId is required");
                }
            }
            case "alias" -> {
                if (userId == null || SandboxJson.identifierText(call.get("previousId")) == null) {
                    errors.add(prefix + "userId and previousId are required");
                }
            }
            default -> errors.add(prefix + "type must be identify, track, page, screen, group or alias");
        }
    }
}
