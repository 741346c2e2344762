package dev.ciobridge.unified;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.ApiSurface;
import dev.ciobridge.customerio.Person;

/**
 * Segments: list, get, and create and delete of manual segments through the App API. Members of a manual segment
 * are added with {@code POST /segments/{id}/contacts} and removed with {@code DELETE /segments/{id}/contacts}
 * through the Track API's {@code add_customers} and {@code remove_customers}.
 */
final class SegmentsResource extends ResourceHandler {

    /** Customer.io takes at most 1000 ids per add or remove call. */
    static final int IDS_PER_CALL = 1000;
    /** Ids one unified call accepts; they are sent in calls of {@value #IDS_PER_CALL}. */
    static final int MAX_IDS = 10_000;
    private static final Set<String> CREATE_FIELDS = Set.of("name", "description");
    private static final Set<String> MEMBER_FIELDS = Set.of("id_type", "ids");

    SegmentsResource(CustomerIoCalls calls) {
        super(calls, "segments", Set.of("GET", "POST"), Set.of("GET", "DELETE"));
    }

    @Override
    Set<String> subresourceMethods(String subresource) {
        return subresource.equals("contacts") ? Set.of("POST", "DELETE") : Set.of();
    }

    @Override
    ListPage list(UnifiedRequest request, ListWindow window) {
        JsonNode answer = calls.get(request, ApiSurface.APP, "/v1/segments");
        return RemoteLists.wholeList(answer.path("segments"), "id", window, SegmentsResource::map);
    }

    @Override
    Object get(UnifiedRequest request) {
        long id = numericId(request, "segment");
        return map(calls.get(request, ApiSurface.APP, "/v1/segments/" + id).path("segment"));
    }

    @Override
    Object create(UnifiedRequest request) {
        JsonNode body = request.jsonObject();
        rejectUnknown(body, CREATE_FIELDS);
        JsonNode name = body.get("name");
        if (name == null || name.isNull()) {
            throw ApiException.badRequest("Missing field 'name': a segment needs a non-empty name");
        }
        if (!name.isTextual()) {
            throw ApiException.badRequest("Field 'name' must be a string, got " + name.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (name.asText().isBlank()) {
            throw ApiException.badRequest("Field 'name' must not be blank: a segment needs a non-empty name");
        }
        ObjectNode segment = Json.MAPPER.createObjectNode();
        segment.put("name", name.asText());
        JsonNode description = body.get("description");
        if (description != null && !description.isNull()) {
            if (!description.isTextual()) {
                throw ApiException.badRequest("Field 'description' must be a string");
            }
            segment.put("description", description.asText());
        }
        ObjectNode wrapper = Json.MAPPER.createObjectNode();
        wrapper.set("segment", segment);
        return map(calls.send(request, ApiSurface.APP, "POST", "/v1/segments", wrapper).path("segment"));
    }

    @Override
    Object delete(UnifiedRequest request) {
        long id = numericId(request, "segment");
        calls.send(request, ApiSurface.APP, "DELETE", "/v1/segments/" + id, null);
        return Map.of("id", Long.toString(id));
    }

    /**
     * Adds (POST) or removes (DELETE) members: {@code {"id_type": "id"|"email"|"cio_id", "ids": [...]}}. Returns
     * {@code {"id", "id_type", "ids_submitted"}}, the segment and the number of distinct identifiers sent.
     */
    @Override
    UnifiedReply subresource(UnifiedRequest request) {
        long id = numericId(request, "segment");
        JsonNode body = request.jsonObject();
        rejectUnknown(body, MEMBER_FIELDS);
        String idType = body.path("id_type").asText(Person.ID);
        if (!Set.of(Person.ID, Person.EMAIL, Person.CIO_ID).contains(idType)) {
            throw ApiException.badRequest("Field 'id_type' must be id, email or cio_id, got '" + idType + "'");
        }

        JsonNode ids = body.get("ids");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw ApiException.badRequest("Missing field 'ids': an array of 1 to " + MAX_IDS + " identifiers is required");
        }
        if (ids.size() > MAX_IDS) {
            throw ApiException.badRequest("Field 'ids' has " + ids.size() + " entries; send at most " + MAX_IDS + " per call");
        }

        // Repeats are sent once, in the order of their first appearance; emails compare in their lower-cased form.
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            distinct.add(ContactWrite.identifier(idType, ids.get(i), "ids[" + i + "]").value());
        }
        List<String> values = new ArrayList<>(distinct);

        String action = request.method.equals("POST") ? "add_customers" : "remove_customers";
        for (int from = 0; from < values.size(); from += IDS_PER_CALL) {
            ObjectNode chunk = Json.MAPPER.createObjectNode();
            values.subList(from, Math.min(values.size(), from + IDS_PER_CALL)).forEach(chunk.putArray("ids")::add);
            calls.send(request, ApiSurface.TRACK, "POST", "/api/v1/segments/" + id + "/" + action + "?id_type=" + idType, chunk);
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", Long.toString(id));
        result.put("id_type", idType);
        // Customer.io returns an empty object from add_customers and remove_customers and ignores identifiers that
        // match no person, so the count of distinct identifiers sent is all that is known.
        result.put("ids_submitted", values.size());
        return UnifiedReply.ok(result);
    }

    static Map<String, Object> map(JsonNode segment) {
        if (!segment.isObject()) {
            throw new ApiException(502, "Customer.io returned a segment that is not an object");
        }
        Map<String, Object> unified = UnifiedFields.object(UnifiedFields.text(segment.get("id")));
        unified.put("name", UnifiedFields.text(segment.get("name")));
        unified.put("description", UnifiedFields.text(segment.get("description")));
        unified.put("type", UnifiedFields.text(segment.get("type")));
        unified.put("status", UnifiedFields.text(segment.get("state")));
        unified.put("created_at", UnifiedFields.iso(segment.get("created_at")));
        unified.put("updated_at", UnifiedFields.iso(segment.get("updated_at")));
        unified.put("remote_data", segment);
        return unified;
    }

    static void rejectUnknown(JsonNode body, Set<String> accepted) {
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!accepted.contains(name)) {
                throw ApiException.badRequest("Unknown field '" + name + "'; accepted fields are "
                        + new java.util.TreeSet<>(accepted));
            }
        }
    }
}
