package dev.ciobridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpMethod;

/** App API people reads: lookup by email, search with a filter, attributes, deliveries and segments of a person. */
final class AppPeopleHandlers {

    static final int SEARCH_DEFAULT_LIMIT = 50;
    static final int SEARCH_MAX_LIMIT = 1000;
    static final int MESSAGES_DEFAULT_LIMIT = 50;
    static final int MESSAGES_MAX_LIMIT = 1000;
    /** Customer.io takes at most 100 ids in one {@code POST /v1/customers/attributes}. */
    static final int BULK_ATTRIBUTES_MAX_IDS = 100;

    boolean handle(SimExchange exchange) {
        if (exchange.matches(HttpMethod.GET, "v1", "customers")) {
            byEmail(exchange);
        } else if (exchange.matches(HttpMethod.POST, "v1", "customers")) {
            search(exchange);
        } else if (exchange.matches(HttpMethod.POST, "v1", "customers", "attributes")) {
            attributesOfMany(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "customers", null, "attributes")) {
            attributes(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "customers", null, "messages")) {
            messages(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "customers", null, "segments")) {
            segments(exchange);
        } else {
            return false;
        }
        return true;
    }

    static ObjectNode identifiers(PersonRecord person) {
        ObjectNode json = SandboxJson.object();
        json.put("email", person.emailOriginal);
        json.put("id", person.id);
        json.put("cio_id", person.cioId);
        return json;
    }

    private void byEmail(SimExchange exchange) {
        String email = exchange.query("email");
        if (email == null || email.isEmpty()) {
            throw ApiError.app(400, "the email query parameter is required");
        }
        ObjectNode answer = SandboxJson.object();
        ArrayNode results = answer.putArray("results");
        synchronized (exchange.workspace) {
            PersonRecord person = exchange.workspace.people.find(new Identifier(IdType.EMAIL, email));
            if (person != null) {
                results.add(identifiers(person));
            }
        }
        exchange.replyJson(200, answer);
    }

    private void search(SimExchange exchange) {
        Page page = Page.parse(exchange, SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT);
        JsonNode body = exchange.json();
        if (body == null || !body.isObject()) {
            throw ApiError.app(400, "request body must be a JSON object with a filter");
        }
        CustomerFilter filter;
        try {
            filter = CustomerFilter.parse(body.get("filter"), "filter");
        } catch (IllegalArgumentException e) {
            throw ApiError.app(400, e.getMessage());
        }
        SandboxWorkspace workspace = exchange.workspace;
        ObjectNode answer = SandboxJson.object();
        synchronized (workspace) {
            listMatching(workspace, page, person -> filter.matches(person, workspace.segments), answer);
        }
        exchange.replyJson(200, answer);
    }

    /**
     * Fills {@code identifiers}, {@code ids} and {@code next} with the people from the page's slot on who match.
     * A full page always offers a {@code next}, so the last page may come back empty.
     */
    static void listMatching(SandboxWorkspace workspace, Page page, java.util.function.Predicate<PersonRecord> matches,
            ObjectNode answer) {
        ArrayNode identifiers = answer.putArray("identifiers");
        ArrayNode ids = answer.putArray("ids");
        PeopleStore people = workspace.people;
        int slot = Math.max(0, page.position());
        int found = 0;
        while (slot < people.slotCount() && found < page.limit()) {
            PersonRecord person = people.slot(slot++);
            if (person != null && matches.test(person)) {
                identifiers.add(identifiers(person));
                ids.add(person.id);
                found++;
            }
        }
        answer.put("next", found == page.limit() && slot < people.slotCount() ? Page.encode(slot) : "");
    }

    /** Finds the person named by path segment 2 and the {@code id_type} parameter, or responds with 404. */
    static PersonRecord pathPerson(SimExchange exchange) {
        IdType type = IdType.fromParameter(exchange.query("id_type"));
        if (type == null) {
            throw ApiError.app(400, "id_type must be id, email or cio_id");
        }
        String value = exchange.decodedSegment(2, message -> ApiError.app(400, message));
        PersonRecord person = exchange.workspace.people.find(Identifier.of(type, value));
        if (person == null) {
            throw ApiError.app(404, "customer with " + type.parameter() + " '" + value + "' not found");
        }
        return person;
    }

    private void attributes(SimExchange exchange) {
        ObjectNode answer = SandboxJson.object();
        synchronized (exchange.workspace) {
            answer.set("customer", customer(pathPerson(exchange)));
        }
        exchange.replyJson(200, answer);
    }

    /**
     * {@code POST /v1/customers/attributes}: the attributes and devices of up to 100 people named by {@code ids} of
     * one {@code id_type}, each as {@code {"customer": {...}}} in the order asked; unknown ids are left out.
     */
    private void attributesOfMany(SimExchange exchange) {
        IdType type = IdType.fromParameter(exchange.query("id_type"));
        if (type == null) {
            throw ApiError.app(400, "id_type must be id, email or cio_id");
        }
        JsonNode body = exchange.json();
        JsonNode ids = body == null ? null : body.get("ids");
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > BULK_ATTRIBUTES_MAX_IDS) {
            throw ApiError.app(400, "ids must be an array of 1 to " + BULK_ATTRIBUTES_MAX_IDS + " identifiers");
        }
        ObjectNode answer = SandboxJson.object();
        ArrayNode customers = answer.putArray("customers");
        synchronized (exchange.workspace) {
            for (JsonNode id : ids) {
                if (!id.isTextual() && !id.isIntegralNumber()) {
                    throw ApiError.app(400, "ids must hold strings, found " + id);
                }
                PersonRecord person = exchange.workspace.people.find(Identifier.of(type, id.asText()));
                if (person != null) {
                    customers.addObject().set("customer", customer(person));
                }
            }
        }
        exchange.replyJson(200, answer);
    }

    /** Builds the App API's view of one person: identifiers, every attribute as a string, timestamps and devices. */
    private static ObjectNode customer(PersonRecord person) {
        ObjectNode customer = SandboxJson.object();
        customer.put("id", person.id);
        customer.set("identifiers", identifiers(person));
        ObjectNode attributes = customer.putObject("attributes");
        // The App API returns every attribute value as a string, identifiers included.
        if (person.id != null) {
            attributes.put("id", person.id);
        }
        if (person.emailOriginal != null) {
            attributes.put("email", person.emailOriginal);
        }
        attributes.put("cio_id", person.cioId);
        attributes.put("_created_in_customerio_at", String.valueOf(person.createdAt));
        person.attributesView().forEach((name, value) -> attributes.put(name, SandboxJson.asAttributeString(value)));
        ObjectNode timestamps = customer.putObject("timestamps");
        timestamps.put("cio_id", person.createdAt);
        customer.put("unsubscribed", "true".equals(SandboxJson.asAttributeString(person.attribute("unsubscribed"))));
        ArrayNode devices = customer.putArray("devices");
        for (DeviceRecord device : person.devices()) {
            ObjectNode json = devices.addObject();
            json.put("id", device.token());
            json.put("platform", device.platform());
            if (device.lastUsed() != null) {
                json.put("last_used", device.lastUsed());
            }
        }
        return customer;
    }

    /**
     * Lists a person's deliveries: the seeded ones (every {@code people}-th delivery from the person's slot) and
     * then those recorded by transactional sends. The cursor is the position in that order.
     */
    private void messages(SimExchange exchange) {
        Page page = Page.parse(exchange, MESSAGES_DEFAULT_LIMIT, MESSAGES_MAX_LIMIT);
        long startTs = AppMessagingHandlers.longParameter(exchange, "start_ts", Long.MIN_VALUE);
        long endTs = AppMessagingHandlers.longParameter(exchange, "end_ts", Long.MAX_VALUE);
        SandboxWorkspace workspace = exchange.workspace;
        ObjectNode answer = SandboxJson.object();
        synchronized (workspace) {
            PersonRecord person = pathPerson(exchange);
            DeliveryStore deliveries = workspace.deliveries;
            java.util.List<Integer> indexes = new java.util.ArrayList<>();
            if (person.seedIndex >= 0 && person.slot < deliveries.seededPeople()) {
                for (long index = person.slot; index < deliveries.seededCount(); index += deliveries.seededPeople()) {
                    indexes.add((int) index);
                }
            }
            for (int index = deliveries.seededCount(); index < deliveries.count(); index++) {
                if (deliveries.recordedAt(index).cioId().equals(person.cioId)) {
                    indexes.add(index);
                }
            }
            ArrayNode messages = answer.putArray("messages");
            int position = Math.max(0, page.position());
            int found = 0;
            while (position < indexes.size() && found < page.limit()) {
                int index = indexes.get(position++);
                long created = deliveries.created(index);
                if (created >= startTs && created <= endTs) {
                    messages.add(deliveries.toJson(index, workspace.people));
                    found++;
                }
            }
            answer.put("next", position < indexes.size() ? Page.encode(position) : "");
        }
        exchange.replyJson(200, answer);
    }

    private void segments(SimExchange exchange) {
        SandboxWorkspace workspace = exchange.workspace;
        ObjectNode answer = SandboxJson.object();
        synchronized (workspace) {
            PersonRecord person = pathPerson(exchange);
            ArrayNode segments = answer.putArray("segments");
            for (SegmentRecord segment : workspace.segments.all()) {
                if (segment.isMember(person, workspace.segments)) {
                    segments.add(segment.toJson());
                }
            }
        }
        exchange.replyJson(200, answer);
    }
}
