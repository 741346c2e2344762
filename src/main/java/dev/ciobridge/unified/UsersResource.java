package dev.ciobridge.unified;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.customerio.ApiSurface;

/**
 * Users are Customer.io sender identities ({@code GET /v1/sender_identities}), the from addresses a workspace may
 * send with. Customer.io's APIs offer no list of team members, so those are not available.
 */
final class UsersResource extends ResourceHandler {

    // NOTE: Customer.io does not document the maximum page size of sender identities; 100 is assumed.
    static final int MAX_PER_CALL = 100;

    UsersResource(CustomerIoCalls calls) {
        super(calls, "users", Set.of("GET"), Set.of("GET"));
    }

    @Override
    ListPage list(UnifiedRequest request, ListWindow window) {
        return RemoteLists.cursorList(window, MAX_PER_CALL, (start, limit) -> calls.get(request, ApiSurface.APP,
                "/v1/sender_identities?sort=asc&limit=" + limit + ContactsResource.startParameter(start)),
                "sender_identities", UsersResource::map);
    }

    /**
     * Finds one sender identity by paging through the list in pages of {@value #MAX_PER_CALL}.
     * NOTE: this takes one App API call per 100 sender identities before the one found; a workspace has few.
     */
    @Override
    Object get(UnifiedRequest request) {
        long id = numericId(request, "user");
        String start = null;
        do {
            JsonNode page = calls.get(request, ApiSurface.APP, "/v1/sender_identities?sort=asc&limit=" + MAX_PER_CALL
                    + ContactsResource.startParameter(start));
            for (JsonNode sender : page.path("sender_identities")) {
                if (sender.path("id").asText("").equals(Long.toString(id))) {
                    return map(sender);
                }
            }
            String next = page.path("next").asText("");
            start = next.isEmpty() ? null : next;
        } while (start != null);
        throw ApiException.notFound("No user (sender identity) with id " + id + " in this workspace");
    }

    static Map<String, Object> map(JsonNode sender) {
        Map<String, Object> unified = UnifiedFields.object(UnifiedFields.text(sender.get("id")));
        unified.put("name", UnifiedFields.text(sender.get("name")));
        unified.put("email", UnifiedFields.text(sender.get("email")));
        unified.put("created_at", UnifiedFields.iso(sender.get("created_at")));
        unified.put("remote_data", sender);
        return unified;
    }
}
