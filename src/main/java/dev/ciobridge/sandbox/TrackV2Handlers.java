package dev.ciobridge.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpMethod;

/**
 * Track API v2: {@code /api/v2/entity} for one operation and {@code /api/v2/batch} for many. A batch applies its
 * valid items and responds with 207, listing the invalid ones by {@code batch_index}; a request that is not a batch at all,
 * or too large, is rejected whole with 400.
 */
final class TrackV2Handlers {

    private static final Set<String> PERSON_ACTIONS = Set.of("identify", "delete", "event", "screen", "page",
            "add_relationships", "delete_relationships", "add_device", "delete_device", "merge", "suppress", "unsuppress");
    private static final Set<String> OBJECT_ACTIONS =
            Set.of("identify", "identify_anonymous", "delete", "add_relationships", "delete_relationships");
    private static final Set<String> DELIVERY_METRICS = Set.of("opened", "converted", "delivered");

    boolean handle(SimExchange exchange) {
        if (exchange.matches(HttpMethod.POST, "api", "v2", "entity")) {
            entity(exchange);
        } else if (exchange.matches(HttpMethod.POST, "api", "v2", "batch")) {
            batch(exchange);
        } else {
            return false;
        }
        return true;
    }

    private void entity(SimExchange exchange) {
        if (exchange.bodyLength() >= PayloadLimits.ENTITY_BYTES) {
            throw ApiError.trackV2(400, "too_large", "", "an entity request must be under "
                    + PayloadLimits.ENTITY_BYTES + " bytes; this one is " + exchange.bodyLength());
        }
        JsonNode json = exchange.json();
        if (json == null || !json.isObject()) {
            throw ApiError.trackV2(400, "invalid", "", "request body must be a JSON object");
        }
        List<PayloadLimits.Violation> violations = new ArrayList<>(0);
        Runnable apply = validate((ObjectNode) json, exchange.bodyLength(), exchange.workspace, violations);
        if (!violations.isEmpty()) {
            throw ApiError.trackV2(400, violations);
        }
        synchronized (exchange.workspace) {
            apply.run();
        }
        exchange.replyEmptyObject();
    }

    private void batch(SimExchange exchange) {
        if (exchange.bodyLength() >= PayloadLimits.BATCH_BYTES) {
            throw ApiError.trackV2(400, "too_large", "batch", "a batch request must be under "
                    + PayloadLimits.BATCH_BYTES + " bytes; this one is " + exchange.bodyLength());
        }
        JsonNode json = exchange.json();
        JsonNode batch = json == null ? null : json.get("batch");
        if (batch == null || !batch.isArray()) {
            throw ApiError.trackV2(400, "invalid", "batch", "request body must be an object with a batch array");
        }
        // Only a request of 32 KB or more can hold an item of 32 KB, so smaller requests skip measuring items.
        boolean measureItems = exchange.bodyLength() >= PayloadLimits.ENTITY_BYTES;
        ObjectNode answer = SandboxJson.object();
        ArrayNode errors = null;
        List<Runnable> valid = new ArrayList<>(batch.size());
        for (int index = 0; index < batch.size(); index++) {
            JsonNode item = batch.get(index);
            List<PayloadLimits.Violation> violations = new ArrayList<>(0);
            int itemBytes = measureItems ? SandboxJson.write(item).length : exchange.bodyLength();
            if (measureItems && itemBytes >= PayloadLimits.ENTITY_BYTES) {
                violations.add(new PayloadLimits.Violation("", "too_large",
                        "a batch item must be under " + PayloadLimits.ENTITY_BYTES + " bytes; this one is " + itemBytes));
            } else if (!item.isObject()) {
                violations.add(new PayloadLimits.Violation("", "invalid", "a batch item must be a JSON object"));
            } else {
                Runnable apply = validate((ObjectNode) item, itemBytes, exchange.workspace, violations);
                if (violations.isEmpty()) {
                    valid.add(apply);
                }
            }
            for (PayloadLimits.Violation violation : violations) {
                if (errors == null) {
                    errors = answer.putArray("errors");
                }
                errors.addObject()
                        .put("batch_index", index)
                        .put("reason", violation.reason())
                        .put("field", violation.field())
                        .put("message", violation.message());
            }
        }
        synchronized (exchange.workspace) {
            valid.forEach(Runnable::run);
        }
        if (errors == null) {
            exchange.replyEmptyObject();
        } else {
            exchange.replyJson(207, answer);
        }
    }

    /**
     * Validates one entity and returns the change it makes, to run under the workspace lock. Adds violations
     * instead when the entity is invalid; the returned change must then not run.
     */
    private Runnable validate(ObjectNode entity, int entityBytes, SandboxWorkspace workspace,
            List<PayloadLimits.Violation> violations) {
        String type = entity.path("type").asText("");
        String action = entity.path("action").asText("");
        return switch (type) {
            case "person" -> validatePerson(entity, action, entityBytes, workspace, violations);
            case "object" -> validateObject(entity, action, entityBytes, workspace, violations);
            case "delivery" -> validateDelivery(entity, action, violations);
            default -> {
                violations.add(new PayloadLimits.Violation("type", "invalid", "type must be person, object or delivery"));
                yield null;
            }
        };
    }

    private Runnable validatePerson(ObjectNode entity, String action, int entityBytes, SandboxWorkspace workspace,
            List<PayloadLimits.Violation> violations) {
        if (!PERSON_ACTIONS.contains(action)) {
            violations.add(new PayloadLimits.Violation("action", "invalid", "action '" + action + "' is not a person action"));
            return null;
        }
        if (action.equals("merge")) {
            return validateMerge(entity, workspace, violations);
        }
        Identifier target = personIdentifier(entity.get("identifiers"), violations);
        JsonNode attributes = entity.get("attributes");
        long now = System.currentTimeMillis();
        switch (action) {
            case "identify" -> {
                PayloadLimits.checkAttributes(attributes, "attributes", entityBytes, violations);
                ObjectNode body = attributes != null && attributes.isObject() ? ((ObjectNode) attributes).deepCopy() : SandboxJson.object();
                return () -> {
                    String error = PersonOperations.identify(workspace, target, body, now);
                    if (error != null) {
                        workspace.attributeUpdateFailures.incrementAndGet();
                    }
                };
            }
            case "event", "page", "screen" -> {
                String name = PayloadLimits.checkEventName(entity.get("name"), "name", violations);
                PayloadLimits.checkEventData(attributes, "attributes", entityBytes, violations);
                String id = PayloadLimits.checkEventId(entity.get("id"), "id", violations);
                Long timestamp = PayloadLimits.checkTimestamp(entity.get("timestamp"), "timestamp", violations);
                EventRecord event = new EventRecord(name, action, id, timestamp,
                        attributes == null || attributes.isNull() ? SandboxJson.object() : attributes, null, Surface.TRACK, now);
                return () -> {
                    PersonRecord person = PersonOperations.personForEvent(workspace, target, now);
                    if (person != null) {
                        PersonOperations.addEvent(workspace, person, event);
                    }
                };
            }
            case "add_device", "delete_device" -> {
                JsonNode device = entity.get("device");
                String token = device == null ? null : SandboxJson.identifierText(device.get("token"));
                if (token == null || token.isEmpty()) {
                    violations.add(new PayloadLimits.Violation("device.token", "required", "device.token is required"));
                    return null;
                }
                if (action.equals("delete_device")) {
                    return () -> {
                        PersonRecord person = workspace.people.find(target);
                        if (person != null) {
                            person.removeDevice(token);
                        }
                    };
                }
                DeviceRecord record = TrackV1Handlers.readDevice(token, device.path("platform").asText(null), device);
                return () -> {
                    PersonRecord person = PersonOperations.personForEvent(workspace, target, now);
                    if (person != null) {
                        person.putDevice(record);
                    }
                };
            }
            case "delete" -> {
                return () -> PersonOperations.delete(workspace, target);
            }
            case "suppress" -> {
                return () -> PersonOperations.suppress(workspace, target);
            }
            case "unsuppress" -> {
                return () -> PersonOperations.unsuppress(workspace, target);
            }
            default -> {
                // Relationships are accepted; the simulator does not model them.
                return () -> { };
            }
        }
    }

    private Runnable validateMerge(ObjectNode entity, SandboxWorkspace workspace, List<PayloadLimits.Violation> violations) {
        Identifier primary = personIdentifier(entity.get("primary"), violations, "primary");
        Identifier secondary = personIdentifier(entity.get("secondary"), violations, "secondary");
        return () -> {
            PersonRecord kept = workspace.people.find(primary);
            PersonRecord merged = workspace.people.find(secondary);
            if (kept != null && merged != null && kept != merged) {
                merged.attributesView().forEach(kept.attributesForWrite()::putIfAbsent);
                merged.events().forEach(kept::addEvent);
                workspace.people.delete(merged);
            }
        };
    }

    private static Identifier personIdentifier(JsonNode identifiers, List<PayloadLimits.Violation> violations) {
        return personIdentifier(identifiers, violations, "identifiers");
    }

    /** Reads exactly one of id, email or cio_id; phone is rejected because the simulator has no phone identifiers. */
    private static Identifier personIdentifier(JsonNode identifiers, List<PayloadLimits.Violation> violations, String field) {
        if (identifiers == null || !identifiers.isObject() || identifiers.size() != 1) {
            violations.add(new PayloadLimits.Violation(field, "invalid",
                    field + " must have exactly one of id, email or cio_id"));
            return null;
        }
        Map.Entry<String, JsonNode> entry = identifiers.fields().next();
        IdType type = IdType.fromParameter(entry.getKey());
        String value = SandboxJson.identifierText(entry.getValue());
        if (type == null || value == null) {
            violations.add(new PayloadLimits.Violation(field + "." + entry.getKey(), "invalid",
                    field + " must have exactly one of id, email or cio_id, as a string"));
            return null;
        }
        PayloadLimits.checkIdentifier(value, field + "." + entry.getKey(), violations);
        return Identifier.of(type, value);
    }

    private Runnable validateObject(ObjectNode entity, String action, int entityBytes, SandboxWorkspace workspace,
            List<PayloadLimits.Violation> violations) {
        if (!OBJECT_ACTIONS.contains(action)) {
            violations.add(new PayloadLimits.Violation("action", "invalid", "action '" + action + "' is not an object action"));
            return null;
        }
        JsonNode identifiers = entity.path("identifiers");
        String typeId = SandboxJson.identifierText(identifiers.get("object_type_id"));
        String objectId = SandboxJson.identifierText(identifiers.get("object_id"));
        String cioObjectId = SandboxJson.identifierText(identifiers.get("cio_object_id"));
        if (cioObjectId == null && (typeId == null || objectId == null) && !action.equals("identify_anonymous")) {
            violations.add(new PayloadLimits.Violation("identifiers", "invalid",
                    "identifiers must have object_type_id and object_id, or cio_object_id"));
            return null;
        }
        if (objectId != null) {
            PayloadLimits.checkIdentifier(objectId, "identifiers.object_id", violations);
        }
        PayloadLimits.checkAttributes(entity.get("attributes"), "attributes", entityBytes, violations);
        String key = cioObjectId != null ? "cio:" + cioObjectId : typeId + ":" + objectId;
        JsonNode attributes = entity.get("attributes");
        return () -> {
            if (action.equals("delete")) {
                workspace.objects.remove(key);
            } else if (action.startsWith("identify")) {
                Map<String, JsonNode> stored = workspace.objects.computeIfAbsent(key, k -> new java.util.LinkedHashMap<>());
                if (attributes != null && attributes.isObject()) {
                    attributes.fields().forEachRemaining(field -> stored.put(field.getKey(), field.getValue()));
                }
            }
        };
    }

    private Runnable validateDelivery(ObjectNode entity, String action, List<PayloadLimits.Violation> violations) {
        if (!action.equals("event")) {
            violations.add(new PayloadLimits.Violation("action", "invalid", "a delivery supports only the event action"));
        }
        if (SandboxJson.identifierText(entity.path("identifiers").get("id")) == null) {
            violations.add(new PayloadLimits.Violation("identifiers.id", "required", "identifiers.id (the delivery id) is required"));
        }
        if (!DELIVERY_METRICS.contains(entity.path("name").asText(""))) {
            violations.add(new PayloadLimits.Violation("name", "invalid", "name must be opened, converted or delivered"));
        }
        if (entity.path("attributes").path("device_token").asText("").isEmpty()) {
            violations.add(new PayloadLimits.Violation("attributes.device_token", "required", "attributes.device_token is required"));
        }
        // NOTE: delivery metrics are validated but not applied to the generated deliveries.
        return () -> { };
    }
}
