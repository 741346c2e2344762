package dev.ciobridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpMethod;

/** App API segments: list, read, membership, count, and creating and deleting manual segments. */
final class AppSegmentHandlers {

    /** Customer.io documents a maximum of 30,000 for membership pages. */
    static final int MEMBERSHIP_MAX_LIMIT = 30_000;
    // NOTE: Customer.io does not document the default membership page size; 1000 is the simulator's choice.
    static final int MEMBERSHIP_DEFAULT_LIMIT = 1000;

    boolean handle(SimExchange exchange) {
        if (exchange.matches(HttpMethod.GET, "v1", "segments")) {
            list(exchange);
        } else if (exchange.matches(HttpMethod.POST, "v1", "segments")) {
            create(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "segments", null)) {
            read(exchange);
        } else if (exchange.matches(HttpMethod.DELETE, "v1", "segments", null)) {
            delete(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "segments", null, "membership")) {
            membership(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "segments", null, "customer_count")) {
            count(exchange);
        } else {
            return false;
        }
        return true;
    }

    private static SegmentRecord pathSegment(SimExchange exchange) {
        int id;
        try {
            id = Integer.parseInt(exchange.segments[2]);
        } catch (NumberFormatException e) {
            throw ApiError.app(400, "segment id must be an integer, was '" + exchange.segments[2] + "'");
        }
        SegmentRecord segment = exchange.workspace.segments.get(id);
        if (segment == null) {
            throw ApiError.app(404, "segment with id " + id + " does not exist");
        }
        return segment;
    }

    private void list(SimExchange exchange) {
        ObjectNode answer = SandboxJson.object();
        ArrayNode segments = answer.putArray("segments");
        synchronized (exchange.workspace) {
            exchange.workspace.segments.all().forEach(segment -> segments.add(segment.toJson()));
        }
        exchange.replyJson(200, answer);
    }

    private void read(SimExchange exchange) {
        ObjectNode answer = SandboxJson.object();
        synchronized (exchange.workspace) {
            answer.set("segment", pathSegment(exchange).toJson());
        }
        exchange.replyJson(200, answer);
    }

    private void create(SimExchange exchange) {
        JsonNode body = exchange.json();
        JsonNode segment = body == null ? null : body.get("segment");
        String name = segment == null ? null : segment.path("name").asText(null);
        if (name == null || name.isBlank()) {
            throw ApiError.app(400, "segment.name is required");
        }
        String description = segment.path("description").asText("");
        ObjectNode answer = SandboxJson.object();
        synchronized (exchange.workspace) {
            SegmentRecord created = exchange.workspace.segments.addManual(name, description, System.currentTimeMillis() / 1000);
            answer.set("segment", created.toJson());
        }
        exchange.replyJson(200, answer);
    }

    private void delete(SimExchange exchange) {
        synchronized (exchange.workspace) {
            SegmentRecord segment = pathSegment(exchange);
            if (!segment.manual) {
                throw ApiError.app(400, "segment " + segment.id + " is data-driven; only manual segments can be deleted through the API");
            }
            exchange.workspace.segments.delete(segment.id);
        }
        exchange.replyNoContent(204);
    }

    private void membership(SimExchange exchange) {
        Page page = Page.parse(exchange, MEMBERSHIP_DEFAULT_LIMIT, MEMBERSHIP_MAX_LIMIT);
        SandboxWorkspace workspace = exchange.workspace;
        ObjectNode answer = SandboxJson.object();
        synchronized (workspace) {
            SegmentRecord segment = pathSegment(exchange);
            AppPeopleHandlers.listMatching(workspace, page, person -> segment.isMember(person, workspace.segments), answer);
        }
        exchange.replyJson(200, answer);
    }

    private void count(SimExchange exchange) {
        SandboxWorkspace workspace = exchange.workspace;
        ObjectNode answer = SandboxJson.object();
        synchronized (workspace) {
            SegmentRecord segment = pathSegment(exchange);
            int count = 0;
            for (int slot = 0; slot < workspace.people.slotCount(); slot++) {
                PersonRecord person = workspace.people.slot(slot);
                if (person != null && segment.isMember(person, workspace.segments)) {
                    count++;
                }
            }
            answer.put("segment_id", segment.id);
            answer.put("count", count);
        }
        exchange.replyJson(200, answer);
    }
}
