package dev.ciobridge.sandbox;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The changes Track and Pipelines requests make to people, shared by Track v1, Track v2 and Pipelines. Callers have
 * validated limits already and hold the workspace lock.
 */
final class PersonOperations {

    /** Attributes with a meaning of their own that are not stored as ordinary attributes. */
    private static final java.util.Set<String> RESERVED =
            java.util.Set.of("id", "email", "cio_id", "_update", "_timestamp", "cio_relationships", "anonymous_id");

    private PersonOperations() {
    }

    /**
     * Creates or updates a person. Returns an error message for a 400 response, or null when the request is accepted,
     * including the cases Customer.io accepts but ignores (a suppressed identifier, {@code _update} for an unknown
     * person, an unknown cio_id).
     */
    static String identify(SandboxWorkspace workspace, Identifier target, ObjectNode body, long now) {
        if (workspace.suppressed.contains(target)) {
            return null;
        }
        PeopleStore people = workspace.people;
        String bodyId = SandboxJson.identifierText(body.get("id"));
        String bodyEmail = SandboxJson.identifierText(body.get("email"));
        PersonRecord person = people.find(target);

        if (person == null && target.type() == IdType.ID && bodyEmail != null) {
            // A new id with the email of a person who has no id yet gives that person the id instead of creating one.
            PersonRecord byEmail = people.find(new Identifier(IdType.EMAIL, bodyEmail));
            if (byEmail != null && byEmail.id == null) {
                people.changeId(byEmail, target.value());
                person = byEmail;
            }
        }
        if (person == null) {
            if (body.path("_update").asBoolean(false) || target.type() == IdType.CIO_ID) {
                return null;
            }
            String id = target.type() == IdType.ID ? target.value() : takenOrNull(workspace, IdType.ID, bodyId, null);
            String email = target.type() == IdType.EMAIL ? target.value() : takenOrNull(workspace, IdType.EMAIL, bodyEmail, null);
            if (email != null && workspace.suppressed.contains(new Identifier(IdType.EMAIL, email))) {
                return null;
            }
            person = people.create(id, email, now / 1000);
        } else {
            updateIdentifiers(workspace, person, target, bodyId, bodyEmail);
        }
        return applyAttributes(person, body);
    }

    private static String takenOrNull(SandboxWorkspace workspace, IdType type, String value, PersonRecord self) {
        if (value == null) {
            return null;
        }
        PersonRecord holder = workspace.people.find(new Identifier(type, value));
        if (holder != null && holder != self) {
            workspace.attributeUpdateFailures.incrementAndGet();
            return null;
        }
        return value;
    }

    /**
     * Applies body identifiers: an id may be set when the person has none or is addressed by cio_id, and an email may
     * be set when addressed by id or cio_id or when the person has none. A value held by another person is skipped
     * and counted as an attribute update failure, as Customer.io responds with 200 in that case.
     */
    private static void updateIdentifiers(SandboxWorkspace workspace, PersonRecord person, Identifier target,
            String bodyId, String bodyEmail) {
        if (bodyId != null && !bodyId.equals(person.id)) {
            boolean allowed = person.id == null || target.type() == IdType.CIO_ID;
            if (allowed && takenOrNull(workspace, IdType.ID, bodyId, person) != null) {
                workspace.people.changeId(person, bodyId);
            } else if (!allowed) {
                workspace.attributeUpdateFailures.incrementAndGet();
            }
        }
        if (bodyEmail != null && !new Identifier(IdType.EMAIL, bodyEmail).value().equals(person.emailKey())) {
            boolean allowed = person.emailOriginal == null || target.type() != IdType.EMAIL;
            if (allowed && takenOrNull(workspace, IdType.EMAIL, bodyEmail, person) != null) {
                workspace.people.changeEmail(person, bodyEmail);
            }
        }
    }

    /** Stores every non-reserved attribute; a JSON null removes one. Rejects a result over 300 attributes. */
    private static String applyAttributes(PersonRecord person, ObjectNode body) {
        int added = 0;
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!RESERVED.contains(name) && person.attribute(name) == null && !body.get(name).isNull()) {
                added++;
            }
        }
        if (person.attributeCount() + added > PayloadLimits.ATTRIBUTES) {
            return "a person may have at most " + PayloadLimits.ATTRIBUTES + " attributes; this call would give it "
                    + (person.attributeCount() + added);
        }
        if (body.size() == 0) {
            return null;
        }
        Map<String, JsonNode> attributes = null;
        for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (RESERVED.contains(field.getKey())) {
                continue;
            }
            if (attributes == null) {
                attributes = person.attributesForWrite();
            }
            // NOTE: Customer.io documents null as "remove" only for object attributes; the simulator applies it to people too.
            if (field.getValue().isNull()) {
                attributes.remove(field.getKey());
            } else {
                attributes.put(field.getKey(), field.getValue());
            }
        }
        return null;
    }

    /** Finds the person an event belongs to, creating one for an unknown id or email as Customer.io does. */
    static PersonRecord personForEvent(SandboxWorkspace workspace, Identifier target, long now) {
        if (workspace.suppressed.contains(target)) {
            return null;
        }
        PersonRecord person = workspace.people.find(target);
        if (person != null || target.type() == IdType.CIO_ID) {
            return person;
        }
        return target.type() == IdType.ID
                ? workspace.people.create(target.value(), null, now / 1000)
                : workspace.people.create(null, target.value(), now / 1000);
    }

    /**
     * Stores an event unless its ULID was seen before. Returns false for a duplicate, which the caller still acknowledges
     * with success, as Customer.io does.
     */
    static boolean addEvent(SandboxWorkspace workspace, PersonRecord person, EventRecord event) {
        if (event.id() != null && !workspace.eventIds.add(SandboxWorkspace.eventIdKey(event.id()))) {
            workspace.duplicateEvents.incrementAndGet();
            return false;
        }
        if (person == null) {
            workspace.anonymousEvents.add(event);
        } else {
            person.addEvent(event);
        }
        workspace.eventOwners.addLast(person == null ? SandboxWorkspace.ANONYMOUS : person);
        if (workspace.eventOwners.size() > workspace.maxStoredEvents) {
            dropOldestEvent(workspace);
        }
        return true;
    }

    private static void dropOldestEvent(SandboxWorkspace workspace) {
        Object owner = workspace.eventOwners.pollFirst();
        EventRecord dropped = owner instanceof PersonRecord person ? person.removeOldestEvent()
                : removeFirst(workspace.anonymousEvents);
        if (dropped != null && dropped.id() != null) {
            workspace.eventIds.remove(SandboxWorkspace.eventIdKey(dropped.id()));
        }
    }

    private static EventRecord removeFirst(java.util.List<EventRecord> events) {
        return events.isEmpty() ? null : events.remove(0);
    }

    static void delete(SandboxWorkspace workspace, Identifier target) {
        PersonRecord person = workspace.people.find(target);
        if (person != null) {
            workspace.people.delete(person);
        }
    }

    /** Deletes the person and blocks every identifier it had, so later data cannot re-create it. */
    static void suppress(SandboxWorkspace workspace, Identifier target) {
        workspace.suppressed.add(target);
        PersonRecord person = workspace.people.find(target);
        if (person == null) {
            return;
        }
        if (person.id != null) {
            workspace.suppressed.add(new Identifier(IdType.ID, person.id));
        }
        if (person.emailKey() != null) {
            workspace.suppressed.add(new Identifier(IdType.EMAIL, person.emailKey()));
        }
        workspace.suppressed.add(new Identifier(IdType.CIO_ID, person.cioId));
        workspace.people.delete(person);
    }

    static void unsuppress(SandboxWorkspace workspace, Identifier target) {
        workspace.suppressed.remove(target);
    }
}
