package dev.ciobridge.unified;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.customerio.ApiSurface;

/** Templates are Customer.io transactional messages, read-only: the list, and one template with its contents. */
final class TemplatesResource extends ResourceHandler {

    TemplatesResource(CustomerIoCalls calls) {
        super(calls, "templates", Set.of("GET"), Set.of("GET"));
    }

    @Override
    ListPage list(UnifiedRequest request, ListWindow window) {
        JsonNode answer = calls.get(request, ApiSurface.APP, "/v1/transactional");
        return RemoteLists.wholeList(answer.path("messages"), "id", window, template -> map(template, null));
    }

    @Override
    Object get(UnifiedRequest request) {
        long id = numericId(request, "template");
        JsonNode template = calls.get(request, ApiSurface.APP, "/v1/transactional/" + id).path("message");
        JsonNode contents = calls.get(request, ApiSurface.APP, "/v1/transactional/" + id + "/contents");
        return map(template, contents);
    }

    static Map<String, Object> map(JsonNode template, JsonNode contents) {
        if (!template.isObject()) {
            throw new ApiException(502, "Customer.io returned a transactional message that is not an object");
        }
        Map<String, Object> unified = UnifiedFields.object(UnifiedFields.text(template.get("id")));
        unified.put("name", UnifiedFields.text(template.get("name")));
        unified.put("description", UnifiedFields.text(template.get("description")));
        unified.put("created_at", UnifiedFields.iso(template.get("created_at")));
        unified.put("updated_at", UnifiedFields.iso(template.get("updated_at")));
        if (contents != null) {
            List<Map<String, Object>> mapped = new ArrayList<>();
            for (JsonNode content : contents.path("contents")) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", UnifiedFields.text(content.get("id")));
                entry.put("type", UnifiedFields.text(content.get("type")));
                entry.put("language", content.path("language").asText(""));
                entry.put("subject", UnifiedFields.text(content.get("subject")));
                entry.put("from", UnifiedFields.text(content.get("from")));
                entry.put("body", UnifiedFields.text(content.get("body")));
                mapped.add(entry);
            }
            unified.put("contents", mapped);
        }
        Map<String, Object> remote = new LinkedHashMap<>();
        remote.put("message", template);
        if (contents != null) {
            remote.put("contents", contents);
        }
        unified.put("remote_data", contents == null ? template : remote);
        return unified;
    }
}
