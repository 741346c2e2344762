package dev.ciobridge.unified;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.ApiSurface;
import dev.ciobridge.customerio.PathSegments;
import dev.ciobridge.customerio.Person;

/**
 * Contacts are Customer.io people. Reads go to the App API: the list to people search ({@code POST /v1/customers}),
 * to segment membership when filtered by {@code segment_id}, or to the lookup by email when filtered by
 * {@code email}, then to {@code POST /v1/customers/attributes} for the page's people; a get to the person's
 * attributes. Writes go synchronously to the Track API: create and update
 * identify the person, delete deletes it. Create and update return what was written, not a read-back, because the
 * Track API applies writes asynchronously and an immediate App API read may not show them yet.
 */
final class ContactsResource extends ResourceHandler {

    /** Customer.io's maximum {@code limit} of people search. */
    static final int SEARCH_MAX_LIMIT = 1000;
    /** Customer.io's maximum {@code limit} of segment membership. */
    static final int MEMBERSHIP_MAX_LIMIT = 30_000;
    /** Customer.io's maximum of people in one {@code POST /v1/customers/attributes}. */
    static final int ATTRIBUTES_MAX_IDS = 100;
    /** Attribute reads of one list page that may be under way at once. */
    static final int ATTRIBUTE_CALLS_IN_FLIGHT = 2;
    /** Threads for those reads; they mostly wait for the rate limiter and for Customer.io. */
    private static final ExecutorService ATTRIBUTE_CALLS =
            Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "unified-contact-attributes");
                thread.setDaemon(true);
                return thread;
            });

    ContactsResource(CustomerIoCalls calls) {
        super(calls, "contacts", Set.of("GET", "POST"), Set.of("GET", "PATCH", "DELETE"));
    }

    @Override
    Set<String> listFilters() {
        return Set.of("email", "segment_id", "attributes");
    }

    @Override
    Set<String> itemParameters() {
        return Set.of("id_type");
    }

    /**
     * Lists contacts with every field filled: each page of identifiers is completed with one
     * {@code POST /v1/customers/attributes} per 100 people. {@code attributes=false} skips those calls and returns
     * only {@code id}, {@code email} and the identifiers. A page then costs only its people-list calls (one per page
     * of up to 1000 contacts from people search) instead of those plus one call per 100 contacts.
     */
    @Override
    ListPage list(UnifiedRequest request, ListWindow window) {
        String attributes = request.query.get("attributes");
        if (attributes != null && !attributes.equals("true") && !attributes.equals("false")) {
            throw ApiException.badRequest("Query parameter 'attributes' must be true or false, got '" + attributes + "'");
        }
        ListPage identifiers = listIdentifiers(request, window);
        if ("false".equals(attributes)) {
            return new ListPage(identifiers.items().stream().map(item -> (Object) ContactMapper.fromIdentifiers((JsonNode) item)).toList(),
                    identifiers.nextStart());
        }
        return new ListPage(withAttributes(request, identifiers.items()), identifiers.nextStart());
    }

    /** Replaces each people-list entry by the full contact, read in batches by cio_id; people gone meanwhile keep their identifiers. */
    private List<Object> withAttributes(UnifiedRequest request, List<Object> entries) {
        Map<String, JsonNode> customers = new java.util.HashMap<>();
        List<String> cioIds = new ArrayList<>();
        for (Object entry : entries) {
            String cioId = UnifiedFields.text(((JsonNode) entry).get("cio_id"));
            if (cioId != null) {
                cioIds.add(cioId);
            }
        }
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < cioIds.size(); from += ATTRIBUTES_MAX_IDS) {
            batches.add(cioIds.subList(from, Math.min(cioIds.size(), from + ATTRIBUTES_MAX_IDS)));
        }
        for (JsonNode answer : inParallel(batches, batch -> {
            ObjectNode body = Json.MAPPER.createObjectNode();
            batch.forEach(body.putArray("ids")::add);
            return calls.send(request, ApiSurface.APP, "POST", "/v1/customers/attributes?id_type=cio_id", body);
        })) {
            for (JsonNode item : answer.path("customers")) {
                JsonNode customer = item.has("customer") ? item.get("customer") : item;
                String cioId = UnifiedFields.text(customer.path("identifiers").get("cio_id"));
                if (cioId == null) {
                    cioId = UnifiedFields.text(customer.path("attributes").get("cio_id"));
                }
                if (cioId != null) {
                    customers.put(cioId, customer);
                }
            }
        }
        List<Object> contacts = new ArrayList<>(entries.size());
        for (Object entry : entries) {
            JsonNode identifiers = (JsonNode) entry;
            JsonNode customer = customers.get(UnifiedFields.text(identifiers.get("cio_id")));
            contacts.add(customer == null ? ContactMapper.fromIdentifiers(identifiers) : ContactMapper.fromCustomer(customer));
        }
        return contacts;
    }

    /**
     * Runs the calls with up to {@link #ATTRIBUTE_CALLS_IN_FLIGHT} in flight, and returns their answers in order. The
     * rate limiter still spaces them; having a second call waiting for its slot means a slow answer does not make
     * the next call miss its slot.
     */
    private static <T> List<JsonNode> inParallel(List<T> inputs, Function<T, JsonNode> call) {
        if (inputs.size() <= 1) {
            return inputs.stream().map(call).toList();
        }
        Semaphore inFlight = new Semaphore(ATTRIBUTE_CALLS_IN_FLIGHT);
        List<Future<JsonNode>> futures = new ArrayList<>();
        try {
            for (T input : inputs) {
                inFlight.acquire();
                futures.add(ATTRIBUTE_CALLS.submit(() -> {
                    try {
                        return call.apply(input);
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            List<JsonNode> answers = new ArrayList<>();
            for (Future<JsonNode> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(future -> future.cancel(true));
            throw new ApiException(503, "The request was interrupted while the service stops; try again");
        } catch (ExecutionException e) {
            futures.forEach(future -> future.cancel(true));
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Reads one page of people-list entries (identifiers only) from search, segment membership or the email lookup. */
    private ListPage listIdentifiers(UnifiedRequest request, ListWindow window) {
        String email = request.query.get("email");
        String segment = request.query.get("segment_id");
        if (email != null) {
            // Customer.io compares emails case-insensitively; the lower-cased form also matches the search filter.
            email = ContactWrite.identifier(Person.EMAIL, Json.MAPPER.getNodeFactory().textNode(email), "email").value();
        }
        Long segmentId = segment == null ? null : segmentId(segment);
        if (email != null && segmentId == null) {
            JsonNode found = calls.get(request, ApiSurface.APP, "/v1/customers?email="
                    + URLEncoder.encode(email, StandardCharsets.UTF_8));
            return RemoteLists.wholeList(found.path("results"), "cio_id", window, item -> item);
        }
        if (segmentId != null && email == null) {
            return RemoteLists.cursorList(window, MEMBERSHIP_MAX_LIMIT, (start, limit) -> calls.get(request, ApiSurface.APP,
                    "/v1/segments/" + segmentId + "/membership?limit=" + limit + startParameter(start)),
                    "identifiers", item -> item);
        }
        String emailFilter = email;
        ObjectNode filter = Json.MAPPER.createObjectNode();
        if (segmentId == null) {
            // Every person has a cio_id, so this filter matches the whole workspace.
            filter.putObject("filter").putObject("attribute").put("field", "cio_id").put("operator", "exists");
        } else {
            ArrayNode and = filter.putObject("filter").putArray("and");
            and.addObject().putObject("segment").put("id", segmentId);
            and.addObject().putObject("attribute").put("field", "email").put("operator", "eq").put("value", emailFilter);
        }
        return RemoteLists.cursorList(window, SEARCH_MAX_LIMIT, (start, limit) -> calls.send(request, ApiSurface.APP,
                "POST", "/v1/customers?limit=" + limit + startParameter(start), filter),
                "identifiers", item -> item);
    }

    @Override
    Object get(UnifiedRequest request) {
        Person person = pathPerson(request);
        JsonNode answer = calls.get(request, ApiSurface.APP, "/v1/customers/" + PathSegments.encode(person.value())
                + "/attributes?id_type=" + person.type());
        JsonNode customer = answer.path("customer");
        if (!customer.isObject()) {
            throw new ApiException(502, "Customer.io returned a person without the 'customer' object");
        }
        return ContactMapper.fromCustomer(customer);
    }

    @Override
    Object create(UnifiedRequest request) {
        ObjectNode attributes = ContactWrite.attributes(request.jsonObject());
        Person person;
        if (attributes.has("id")) {
            person = Person.of(Person.ID, attributes.get("id").asText(), "id");
        } else if (attributes.has("email")) {
            person = Person.of(Person.EMAIL, attributes.get("email").asText(), "email");
        } else {
            throw ApiException.badRequest("Missing field 'id' or 'email': a contact needs at least one to be identified");
        }
        identify(request, person, attributes);
        String id = attributes.has("id") ? attributes.get("id").asText() : null;
        return echo(id, attributes);
    }

    @Override
    Object update(UnifiedRequest request) {
        Person person = pathPerson(request);
        ObjectNode attributes = ContactWrite.attributes(request.jsonObject());
        if (attributes.isEmpty()) {
            throw ApiException.badRequest("The body sets no field; send at least one of " + new java.util.TreeSet<>(ContactWrite.FIELDS));
        }
        rejectIdentifierChange(person, attributes);
        ObjectNode sent = attributes.deepCopy();
        // Only update: an unknown person is not created by a PATCH.
        sent.put("_update", true);
        identify(request, person, sent);
        Map<String, Object> contact = echo(idAfterUpdate(person, attributes), attributes);
        if (contact.get("email") == null && person.type().equals(Person.EMAIL)) {
            contact.put("email", person.value());
        }
        return contact;
    }

    /**
     * Rejects a body that changes the identifier the path addresses the contact by. Customer.io changes a person's
     * id or email only when the person is addressed by cio_id. Addressed by that same id or email, it responds with
     * 200 and ignores the change.
     */
    private static void rejectIdentifierChange(Person person, ObjectNode attributes) {
        String type = person.type();
        if (type.equals(Person.CIO_ID) || !attributes.has(type)) {
            return;
        }
        String written = Person.of(type, attributes.get(type).asText(), type).value();
        if (!written.equals(person.value())) {
            throw ApiException.badRequest("Field '" + type + "' would change the " + type + " that the path addresses the "
                    + "contact by, which Customer.io does not apply; address the contact by cio_id "
                    + "(contacts/cio_<cio_id>) to change its " + type);
        }
    }

    /**
     * Returns the contact id as it is after an update, or null when this request does not determine it. Addressed
     * by id, it is that id. Addressed by cio_id, it is the id the body sets, if any. Addressed by email, it is null
     * because the person may already have an id that the request does not show.
     */
    private static String idAfterUpdate(Person person, ObjectNode attributes) {
        if (person.type().equals(Person.ID)) {
            return person.value();
        }
        if (person.type().equals(Person.CIO_ID) && attributes.has("id")) {
            // NOTE: Customer.io skips an id that another person already has and still responds with 200, so this id
            // is the one requested rather than one read back.
            return attributes.get("id").asText();
        }
        return null;
    }

    @Override
    Object delete(UnifiedRequest request) {
        Person person = pathPerson(request);
        String v1 = person.v1PathIdentifier();
        if (v1 != null) {
            calls.send(request, ApiSurface.TRACK, "DELETE", "/api/v1/customers/" + PathSegments.encode(v1), null);
        } else {
            calls.send(request, ApiSurface.TRACK, "POST", "/api/v2/entity", entity(person, "delete", null));
        }
        return Map.of("id", request.id);
    }

    /** Sends an identify through Track v1, or through {@code /api/v2/entity} for ids that v1 would read as another type. */
    private void identify(UnifiedRequest request, Person person, ObjectNode attributes) {
        String v1 = person.v1PathIdentifier();
        if (v1 != null) {
            calls.send(request, ApiSurface.TRACK, "PUT", "/api/v1/customers/" + PathSegments.encode(v1), attributes);
        } else {
            calls.send(request, ApiSurface.TRACK, "POST", "/api/v2/entity", entity(person, "identify", attributes));
        }
    }

    private static ObjectNode entity(Person person, String action, ObjectNode attributes) {
        ObjectNode entity = Json.MAPPER.createObjectNode();
        entity.put("type", "person");
        entity.putObject("identifiers").put(person.type(), person.value());
        entity.put("action", action);
        if (attributes != null) {
            entity.set("attributes", attributes);
        }
        return entity;
    }

    /** Builds the contact returned by a create or update from the attributes written. */
    private static Map<String, Object> echo(String id, ObjectNode attributes) {
        String firstName = UnifiedFields.text(attributes.get("first_name"));
        String lastName = UnifiedFields.text(attributes.get("last_name"));
        Map<String, Object> contact = UnifiedFields.object(id);
        contact.put("first_name", firstName);
        contact.put("last_name", lastName);
        contact.put("name", ContactMapper.name(UnifiedFields.text(attributes.get("name")), firstName, lastName));
        contact.put("email", UnifiedFields.text(attributes.get("email")));
        contact.put("phones", ContactMapper.phones(UnifiedFields.text(attributes.get("phone"))));
        contact.put("status", attributes.has("unsubscribed")
                ? (attributes.get("unsubscribed").asBoolean() ? "unsubscribed" : "subscribed") : null);
        contact.put("created_at", attributes.has("created_at") ? UnifiedFields.iso(attributes.get("created_at").asLong()) : null);
        contact.put("updated_at", UnifiedFields.iso(System.currentTimeMillis() / 1000));
        Map<String, Object> custom = new LinkedHashMap<>();
        attributes.fields().forEachRemaining(field -> {
            if (!ContactMapper.MAPPED_ATTRIBUTES.contains(field.getKey())) {
                custom.put(field.getKey(), field.getValue());
            }
        });
        contact.put("custom_fields", custom);
        Map<String, Object> remote = new LinkedHashMap<>();
        remote.put("identify_attributes", attributes);
        contact.put("remote_data", remote);
        return contact;
    }

    /**
     * Reads the contact named in the path. {@code id_type} ({@code id}, {@code email} or {@code cio_id}) names the
     * identifier type; without it, a value starting with {@code cio_} is a cio_id, one containing {@code @} an email,
     * and anything else an id, the same inference the Track API v1 applies.
     */
    static Person pathPerson(UnifiedRequest request) {
        String type = request.query.get("id_type");
        if (type == null) {
            type = request.id.startsWith("cio_") ? Person.CIO_ID : request.id.indexOf('@') >= 0 ? Person.EMAIL : Person.ID;
        } else if (!Set.of(Person.ID, Person.EMAIL, Person.CIO_ID).contains(type)) {
            throw ApiException.badRequest("Query parameter 'id_type' must be id, email or cio_id, got '" + type + "'");
        }
        try {
            return Person.of(type, request.id, "contact id");
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid contact id '" + request.id + "': " + e.getMessage());
        }
    }

    private static long segmentId(String text) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw ApiException.badRequest("Query parameter 'segment_id' must be a positive integer, got '" + text + "'");
    }

    static String startParameter(String start) {
        return start == null ? "" : "&start=" + URLEncoder.encode(start, StandardCharsets.UTF_8);
    }
}
