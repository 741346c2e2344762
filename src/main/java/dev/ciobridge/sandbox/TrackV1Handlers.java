package dev.ciobridge.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpMethod;

/** Track API v1: people, devices, events, suppression, manual segment membership, region and unsubscribe. */
final class TrackV1Handlers {

    private final WorkspaceRegistry registry;
    private final Supplier<SimulatorUrls> urls;

    TrackV1Handlers(WorkspaceRegistry registry, Supplier<SimulatorUrls> urls) {
        this.registry = registry;
        this.urls = urls;
    }

    /** Handles a v1 request; returns false when no operation matches its method and path. */
    boolean handle(SimExchange exchange) {
        if (exchange.matches(HttpMethod.PUT, "api", "v1", "customers", null)) {
            identify(exchange);
        } else if (exchange.matches(HttpMethod.POST, "api", "v1", "customers", null, "events")) {
            personEvent(exchange);
        } else if (exchange.matches(HttpMethod.DELETE, "api", "v1", "customers", null)) {
            delete(exchange);
        } else if (exchange.matches(HttpMethod.PUT, "api", "v1", "customers", null, "devices")) {
            addDevice(exchange);
        } else if (exchange.matches(HttpMethod.DELETE, "api", "v1", "customers", null, "devices", null)) {
            deleteDevice(exchange);
        } else if (exchange.matches(HttpMethod.POST, "api", "v1", "customers", null, "suppress")) {
            suppression(exchange, true);
        } else if (exchange.matches(HttpMethod.POST, "api", "v1", "customers", null, "unsuppress")) {
            suppression(exchange, false);
        } else if (exchange.matches(HttpMethod.POST, "api", "v1", "events")) {
            anonymousEvent(exchange);
        } else if (exchange.matches(HttpMethod.POST, "api", "v1", "segments", null, "add_customers")) {
            segmentMembership(exchange, true);
        } else if (exchange.matches(HttpMethod.POST, "api", "v1", "segments", null, "remove_customers")) {
            segmentMembership(exchange, false);
        } else if (exchange.matches(HttpMethod.GET, "api", "v1", "accounts", "region")) {
            region(exchange);
        } else if (exchange.matches(HttpMethod.POST, "api", "v1", "metrics")
                || exchange.matches(HttpMethod.POST, "api", "v1", "push", "events")) {
            // NOTE: delivery metrics are accepted but not applied to the generated deliveries.
            requireObject(exchange);
            exchange.replyEmptyObject();
        } else if (exchange.matches(HttpMethod.POST, "api", "v1", "merge_customers")) {
            merge(exchange);
        } else if (exchange.matches(HttpMethod.POST, "api", "v1", "forms", null, "submit")) {
            requireObject(exchange);
            exchange.replyNoContent(204);
        } else {
            return false;
        }
        return true;
    }

    private static Identifier pathIdentifier(SimExchange exchange) {
        String decoded = exchange.decodedSegment(3, message -> ApiError.trackV1(400, message));
        Identifier identifier = Identifier.fromPath(decoded);
        List<PayloadLimits.Violation> violations = new ArrayList<>(1);
        PayloadLimits.checkIdentifier(identifier.value(), "identifier", violations);
        throwIfAny(violations);
        return identifier;
    }

    private static ObjectNode requireObject(SimExchange exchange) {
        JsonNode json = exchange.json();
        if (json == null || !json.isObject()) {
            throw ApiError.trackV1(400, "request body must be a JSON object");
        }
        return (ObjectNode) json;
    }

    /** Reads an optional identify body: a call without one changes nothing but still creates the person. */
    private static ObjectNode optionalObject(SimExchange exchange) {
        return exchange.bodyLength() == 0 ? SandboxJson.object() : requireObject(exchange);
    }

    private static void throwIfAny(List<PayloadLimits.Violation> violations) {
        if (!violations.isEmpty()) {
            throw ApiError.trackV1(400, violations.stream().map(PayloadLimits.Violation::message).toArray(String[]::new));
        }
    }

    private void identify(SimExchange exchange) {
        Identifier target = pathIdentifier(exchange);
        ObjectNode body = optionalObject(exchange);
        List<PayloadLimits.Violation> violations = new ArrayList<>(0);
        String bodyId = SandboxJson.identifierText(body.get("id"));
        if (bodyId != null) {
            PayloadLimits.checkIdentifier(bodyId, "id", violations);
        }
        PayloadLimits.checkAttributes(body, "", exchange.bodyLength(), violations);
        throwIfAny(violations);
        SandboxWorkspace workspace = exchange.workspace;
        String error;
        synchronized (workspace) {
            error = PersonOperations.identify(workspace, target, body, System.currentTimeMillis());
        }
        if (error != null) {
            throw ApiError.trackV1(400, error);
        }
        exchange.replyEmptyObject();
    }

    private void personEvent(SimExchange exchange) {
        Identifier target = pathIdentifier(exchange);
        ObjectNode body = requireObject(exchange);
        EventRecord event = readEvent(body, exchange.bodyLength(), null);
        SandboxWorkspace workspace = exchange.workspace;
        synchronized (workspace) {
            PersonRecord person = PersonOperations.personForEvent(workspace, target, System.currentTimeMillis());
            if (person != null) {
                PersonOperations.addEvent(workspace, person, event);
            }
        }
        exchange.replyEmptyObject();
    }

    private void anonymousEvent(SimExchange exchange) {
        ObjectNode body = requireObject(exchange);
        String anonymousId = SandboxJson.identifierText(body.get("anonymous_id"));
        EventRecord event = readEvent(body, exchange.bodyLength(), anonymousId);
        SandboxWorkspace workspace = exchange.workspace;
        synchronized (workspace) {
            PersonOperations.addEvent(workspace, null, event);
        }
        exchange.replyEmptyObject();
    }

    private static EventRecord readEvent(ObjectNode body, int bodyBytes, String anonymousId) {
        List<PayloadLimits.Violation> violations = new ArrayList<>(0);
        String name = PayloadLimits.checkEventName(body.get("name"), "name", violations);
        JsonNode data = body.get("data");
        PayloadLimits.checkEventData(data, "data", bodyBytes, violations);
        String id = PayloadLimits.checkEventId(body.get("id"), "id", violations);
        Long timestamp = PayloadLimits.checkTimestamp(body.get("timestamp"), "timestamp", violations);
        String type = body.path("type").asText("event");
        if (!type.equals("event") && !type.equals("page") && !type.equals("screen")) {
            violations.add(new PayloadLimits.Violation("type", "invalid", "type must be event, page or screen"));
        }
        throwIfAny(violations);
        return new EventRecord(name, type, id, timestamp, data == null || data.isNull() ? SandboxJson.object() : data,
                anonymousId, Surface.TRACK, System.currentTimeMillis());
    }

    private void delete(SimExchange exchange) {
        Identifier target = pathIdentifier(exchange);
        synchronized (exchange.workspace) {
            PersonOperations.delete(exchange.workspace, target);
        }
        exchange.replyEmptyObject();
    }

    private void addDevice(SimExchange exchange) {
        Identifier target = pathIdentifier(exchange);
        JsonNode device = requireObject(exchange).get("device");
        if (device == null || !device.isObject()) {
            throw ApiError.trackV1(400, "device is required and must be an object");
        }
        String token = SandboxJson.identifierText(device.get("id"));
        String platform = device.path("platform").asText("");
        if (token == null || token.isEmpty()) {
            throw ApiError.trackV1(400, "device.id is required");
        }
        if (!platform.equals("ios") && !platform.equals("android")) {
            throw ApiError.trackV1(400, "device.platform must be ios or android");
        }
        DeviceRecord record = readDevice(token, platform, device);
        synchronized (exchange.workspace) {
            PersonRecord person = PersonOperations.personForEvent(exchange.workspace, target, System.currentTimeMillis());
            if (person != null) {
                person.putDevice(record);
            }
        }
        exchange.replyEmptyObject();
    }

    static DeviceRecord readDevice(String token, String platform, JsonNode device) {
        Map<String, String> attributes = new LinkedHashMap<>();
        device.path("attributes").fields().forEachRemaining(
                field -> attributes.put(field.getKey(), SandboxJson.asAttributeString(field.getValue())));
        JsonNode lastUsed = device.get("last_used");
        return new DeviceRecord(token, platform, lastUsed != null && lastUsed.isIntegralNumber() ? lastUsed.longValue() : null,
                Map.copyOf(attributes));
    }

    private void deleteDevice(SimExchange exchange) {
        Identifier target = pathIdentifier(exchange);
        String token = exchange.decodedSegment(5, message -> ApiError.trackV1(400, message));
        synchronized (exchange.workspace) {
            PersonRecord person = exchange.workspace.people.find(target);
            if (person != null) {
                person.removeDevice(token);
            }
        }
        exchange.replyEmptyObject();
    }

    private void suppression(SimExchange exchange, boolean suppress) {
        Identifier target = pathIdentifier(exchange);
        synchronized (exchange.workspace) {
            if (suppress) {
                PersonOperations.suppress(exchange.workspace, target);
            } else {
                PersonOperations.unsuppress(exchange.workspace, target);
            }
        }
        exchange.replyEmptyObject();
    }

    private void segmentMembership(SimExchange exchange, boolean add) {
        int segmentId = parseSegmentId(exchange.segments[3]);
        IdType idType = IdType.fromParameter(exchange.query("id_type"));
        if (idType == null) {
            throw ApiError.trackV1(400, "id_type must be id, email or cio_id");
        }
        JsonNode ids = requireObject(exchange).get("ids");
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > PayloadLimits.SEGMENT_IDS) {
            throw ApiError.trackV1(400, "ids must be an array of 1 to " + PayloadLimits.SEGMENT_IDS + " identifiers");
        }
        SandboxWorkspace workspace = exchange.workspace;
        synchronized (workspace) {
            SegmentRecord segment = workspace.segments.get(segmentId);
            if (segment == null) {
                throw ApiError.trackV1(404, "segment " + segmentId + " not found");
            }
            if (!segment.manual) {
                throw ApiError.trackV1(400, "segment " + segmentId + " is data-driven; only manual segments accept people");
            }
            for (JsonNode id : ids) {
                String value = SandboxJson.identifierText(id);
                // Entries that match no person are ignored, as Customer.io does.
                PersonRecord person = value == null ? null : workspace.people.find(Identifier.of(idType, value));
                if (person != null && (add ? segment.add(person) : segment.remove(person))) {
                    segment.updatedAt = System.currentTimeMillis() / 1000;
                }
            }
        }
        exchange.replyEmptyObject();
    }

    private static int parseSegmentId(String segment) {
        try {
            return Integer.parseInt(segment);
        } catch (NumberFormatException e) {
            throw ApiError.trackV1(400, "segment id must be an integer, was '" + segment + "'");
        }
    }

    private void region(SimExchange exchange) {
        ObjectNode json = SandboxJson.object();
        // The url points at the simulator, never at Customer.io, so a client that follows it stays local.
        json.put("url", urls.get().track());
        json.put("region", "us");
        json.put("environment_id", exchange.workspace.credentials().environmentId());
        exchange.replyJson(200, json);
    }

    private void merge(SimExchange exchange) {
        ObjectNode body = requireObject(exchange);
        Identifier primary = bodyIdentifier(body.get("primary"), "primary");
        Identifier secondary = bodyIdentifier(body.get("secondary"), "secondary");
        SandboxWorkspace workspace = exchange.workspace;
        synchronized (workspace) {
            PersonRecord kept = workspace.people.find(primary);
            if (kept == null) {
                throw ApiError.metaError(400, "primary person not found");
            }
            PersonRecord merged = workspace.people.find(secondary);
            if (merged != null && merged != kept) {
                // The primary's values win; the secondary's events move over and the secondary is deleted.
                Map<String, JsonNode> attributes = kept.attributesForWrite();
                merged.attributesView().forEach(attributes::putIfAbsent);
                merged.events().forEach(kept::addEvent);
                merged.devices().forEach(kept::putDevice);
                workspace.people.delete(merged);
            }
        }
        exchange.replyEmptyObject();
    }

    private static Identifier bodyIdentifier(JsonNode node, String field) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw ApiError.metaError(400, field + " must have exactly one of id, email or cio_id");
        }
        Map.Entry<String, JsonNode> entry = node.fields().next();
        IdType type = IdType.fromParameter(entry.getKey());
        String value = SandboxJson.identifierText(entry.getValue());
        if (type == null || value == null) {
            throw ApiError.metaError(400, field + " must have exactly one of id, email or cio_id");
        }
        return Identifier.of(type, value);
    }

    /** Unsubscribes the person a delivery went to; no credentials, the delivery id names the workspace. */
    void unsubscribe(SimExchange exchange) {
        if (!exchange.matches(HttpMethod.POST, "unsubscribe", null)) {
            throw ApiError.trackV1(404, "no Track API operation " + exchange.method() + " " + exchange.path);
        }
        String deliveryId = exchange.decodedSegment(1, message -> ApiError.trackV1(400, message));
        for (SandboxWorkspace workspace : registry.all()) {
            synchronized (workspace) {
                int index = workspace.deliveries.indexOf(deliveryId);
                if (index < 0) {
                    continue;
                }
                exchange.workspace = workspace;
                JsonNode unsubscribe = requireObject(exchange).get("unsubscribe");
                if (unsubscribe == null || !unsubscribe.isBoolean()) {
                    throw ApiError.trackV1(400, "unsubscribe is required and must be a boolean");
                }
                PersonRecord person = personOfDelivery(workspace, index);
                if (person != null) {
                    person.attributesForWrite().put("unsubscribed", SandboxJson.NODES.booleanNode(unsubscribe.booleanValue()));
                }
                exchange.replyEmptyObject();
                return;
            }
        }
        throw ApiError.trackV1(404, "delivery " + deliveryId + " not found");
    }

    static PersonRecord personOfDelivery(SandboxWorkspace workspace, int index) {
        DeliveryRecord recorded = workspace.deliveries.recordedAt(index);
        if (recorded != null) {
            return workspace.people.find(new Identifier(IdType.CIO_ID, recorded.cioId()));
        }
        return workspace.people.slot(workspace.deliveries.seededPersonSlot(index));
    }
}
