package dev.ciobridge.sandbox;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpMethod;

/**
 * The simulator's own endpoints under {@code /_sandbox}, for standalone use: create and list workspaces, set faults,
 * and inspect people, segments and request counts. They need no credentials because the simulator only listens on
 * 127.0.0.1. Errors use the App API envelope.
 */
final class AdminHandlers {

    private final WorkspaceRegistry registry;
    private final Supplier<SimulatorUrls> urls;

    AdminHandlers(WorkspaceRegistry registry, Supplier<SimulatorUrls> urls) {
        this.registry = registry;
        this.urls = urls;
    }

    void handle(SimExchange exchange) {
        if (exchange.matches(HttpMethod.POST, "workspaces")) {
            create(exchange);
        } else if (exchange.matches(HttpMethod.GET, "workspaces")) {
            ObjectNode answer = SandboxJson.object();
            ArrayNode list = answer.putArray("workspaces");
            registry.all().forEach(workspace -> list.add(describe(workspace)));
            exchange.replyJson(200, answer);
        } else if (exchange.matches(HttpMethod.DELETE, "workspaces", null)) {
            if (!registry.remove(exchange.segments[1])) {
                throw notFound(exchange.segments[1]);
            }
            exchange.replyNoContent(204);
        } else if (exchange.matches(HttpMethod.GET, "workspaces", null, "faults")) {
            exchange.replyJson(200, faultsJson(workspace(exchange).faults()));
        } else if (exchange.matches(HttpMethod.PUT, "workspaces", null, "faults")) {
            setFaults(exchange);
        } else if (exchange.matches(HttpMethod.GET, "workspaces", null, "people", null)) {
            person(exchange);
        } else if (exchange.matches(HttpMethod.GET, "workspaces", null, "segments", null, "members")) {
            segmentMembers(exchange);
        } else if (exchange.matches(HttpMethod.GET, "workspaces", null, "stats")) {
            stats(exchange);
        } else {
            throw ApiError.app(404, "no simulator admin operation " + exchange.method() + " " + exchange.path);
        }
    }

    private SandboxWorkspace workspace(SimExchange exchange) {
        SandboxWorkspace workspace = registry.bySiteId(exchange.segments[1]);
        if (workspace == null) {
            throw notFound(exchange.segments[1]);
        }
        return workspace;
    }

    private static ApiError notFound(String siteId) {
        return ApiError.app(404, "no workspace with site id " + siteId);
    }

    private void create(SimExchange exchange) {
        JsonNode body = exchange.bodyLength() == 0 ? SandboxJson.object() : exchange.json();
        if (body == null || !body.isObject()) {
            throw ApiError.app(400, "request body must be a JSON object");
        }
        WorkspaceSpec defaults = WorkspaceSpec.defaults();
        SandboxWorkspace workspace;
        try {
            WorkspaceSpec spec = new WorkspaceSpec(
                    body.path("name").asText(defaults.name()),
                    body.path("seed").asLong(defaults.seed()),
                    body.path("people").asInt(0),
                    body.path("deliveries").asInt(0),
                    body.path("app_requests_per_second").asInt(defaults.appRequestsPerSecond()),
                    body.path("track_requests_per_second").asInt(0),
                    body.path("transactional_requests_per_second").asInt(0),
                    body.path("site_id").asText(null),
                    body.path("track_api_key").asText(null),
                    body.path("app_api_key").asText(null),
                    body.path("pipelines_key").asText(null));
            workspace = registry.create(spec);
        } catch (IllegalArgumentException e) {
            throw ApiError.app(400, e.getMessage());
        }
        exchange.replyJson(201, describe(workspace));
    }

    /** Describes a workspace with its credentials, which is the point of this local-only endpoint. */
    ObjectNode describe(SandboxWorkspace workspace) {
        WorkspaceCredentials credentials = workspace.credentials();
        SimulatorUrls base = urls.get();
        ObjectNode json = SandboxJson.object();
        json.put("name", workspace.name());
        json.put("site_id", credentials.siteId());
        json.put("track_api_key", credentials.trackApiKey());
        json.put("app_api_key", credentials.appApiKey());
        json.put("pipelines_key", credentials.pipelinesKey());
        json.put("environment_id", credentials.environmentId());
        json.put("track_url", base.track());
        json.put("app_url", base.app());
        json.put("pipelines_url", base.pipelines());
        return json;
    }

    private void setFaults(SimExchange exchange) {
        SandboxWorkspace workspace = workspace(exchange);
        try {
            workspace.setFaults(FaultSettingsJson.read(exchange.json()));
        } catch (IllegalArgumentException e) {
            throw ApiError.app(400, e.getMessage());
        }
        exchange.replyJson(200, faultsJson(workspace.faults()));
    }

    private static ObjectNode faultsJson(FaultSettings faults) {
        return FaultSettingsJson.write(faults);
    }

    private void person(SimExchange exchange) {
        SandboxWorkspace workspace = workspace(exchange);
        String identifier = exchange.decodedSegment(3, message -> ApiError.app(400, message));
        PersonSnapshot person = workspace.person(identifier)
                .orElseThrow(() -> ApiError.app(404, "no person with identifier '" + identifier + "'"));
        ObjectNode json = SandboxJson.MAPPER.valueToTree(person);
        json.put("unsubscribed", person.unsubscribed());
        exchange.replyJson(200, json);
    }

    private void segmentMembers(SimExchange exchange) {
        SandboxWorkspace workspace = workspace(exchange);
        int segmentId;
        try {
            segmentId = Integer.parseInt(exchange.segments[3]);
        } catch (NumberFormatException e) {
            throw ApiError.app(400, "segment id must be an integer");
        }
        ObjectNode answer = SandboxJson.object();
        ArrayNode members = answer.putArray("members");
        for (PersonSnapshot person : workspace.segmentMembers(segmentId)) {
            members.addObject().put("id", person.id()).put("email", person.email()).put("cio_id", person.cioId());
        }
        exchange.replyJson(200, answer);
    }

    private void stats(SimExchange exchange) {
        SandboxWorkspace workspace = workspace(exchange);
        ObjectNode json = SandboxJson.object();
        json.put("people", workspace.peopleCount());
        json.put("deliveries", workspace.deliveryCount());
        json.put("duplicate_events_ignored", workspace.duplicateEventsIgnored());
        json.put("attribute_update_failures", workspace.attributeUpdateFailures());
        json.put("pipelines_dropped", workspace.pipelinesDropped.get());
        ObjectNode requests = json.putObject("requests");
        for (Surface surface : Surface.values()) {
            requests.put(surface.name().toLowerCase(java.util.Locale.ROOT), workspace.requestsReceived(surface));
        }
        exchange.replyJson(200, json);
    }
}
