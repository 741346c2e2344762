package dev.ciobridge.unified;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.customerio.ApiSurface;

/** Workspaces the account's App API key can see ({@code GET /v1/workspaces}), read-only. */
final class WorkspacesResource extends ResourceHandler {

    WorkspacesResource(CustomerIoCalls calls) {
        super(calls, "workspaces", Set.of("GET"), Set.of("GET"));
    }

    @Override
    ListPage list(UnifiedRequest request, ListWindow window) {
        JsonNode answer = calls.get(request, ApiSurface.APP, "/v1/workspaces");
        return RemoteLists.wholeList(answer.path("workspaces"), "id", window, WorkspacesResource::map);
    }

    /** Finds the workspace in {@code GET /v1/workspaces}, because Customer.io has no call for a single workspace. */
    @Override
    Object get(UnifiedRequest request) {
        long id = numericId(request, "workspace");
        JsonNode answer = calls.get(request, ApiSurface.APP, "/v1/workspaces");
        for (JsonNode workspace : answer.path("workspaces")) {
            if (workspace.path("id").asText("").equals(Long.toString(id))) {
                return map(workspace);
            }
        }
        throw ApiException.notFound("No workspace with id " + id + " is visible to this account's App API key");
    }

    static Map<String, Object> map(JsonNode workspace) {
        Map<String, Object> unified = UnifiedFields.object(UnifiedFields.text(workspace.get("id")));
        unified.put("name", UnifiedFields.text(workspace.get("name")));
        unified.put("remote_data", workspace);
        return unified;
    }
}
