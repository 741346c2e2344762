package dev.ciobridge.sandbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The people of one workspace, indexed by id, email (lower-cased) and cio_id. Deleted people leave an empty slot so
 * that pagination cursors, which are slot positions, stay valid while people are added and removed.
 */
final class PeopleStore {

    private final List<PersonRecord> slots = new ArrayList<>();
    private final Map<String, PersonRecord> byId = new HashMap<>();
    private final Map<String, PersonRecord> byEmail = new HashMap<>();
    private final Map<String, PersonRecord> byCioId = new HashMap<>();
    private final PeopleSeed seed;
    private final String cioPrefix;
    private int count;

    PeopleStore(PeopleSeed seed, long environmentId) {
        this.seed = seed;
        this.cioPrefix = String.format("%06x", environmentId & 0xFFFFFF);
    }

    /** Creates the seeded people; called once, before the workspace serves requests. */
    void seed(int people) {
        for (int index = 0; index < people; index++) {
            PersonRecord person = new PersonRecord(nextCioId(), slots.size(), seed.createdAt(index), index, seed);
            person.id = seed.id(index);
            person.emailOriginal = seed.email(index);
            register(person);
        }
    }

    PersonRecord find(Identifier identifier) {
        return switch (identifier.type()) {
            case ID -> byId.get(identifier.value());
            case EMAIL -> byEmail.get(identifier.value());
            case CIO_ID -> byCioId.get(identifier.value());
        };
    }

    PersonRecord create(String id, String email, long createdAt) {
        PersonRecord person = new PersonRecord(nextCioId(), slots.size(), createdAt, -1, seed);
        person.id = id;
        person.emailOriginal = email;
        register(person);
        return person;
    }

    /** Changes a person's id; the caller has checked that no other person has the new one. */
    void changeId(PersonRecord person, String id) {
        if (person.id != null) {
            byId.remove(person.id);
        }
        person.id = id;
        if (id != null) {
            byId.put(id, person);
        }
    }

    /** Changes a person's email; the caller has checked that no other person has the new one. */
    void changeEmail(PersonRecord person, String email) {
        String oldKey = person.emailKey();
        if (oldKey != null) {
            byEmail.remove(oldKey);
        }
        person.emailOriginal = email;
        String newKey = person.emailKey();
        if (newKey != null) {
            byEmail.put(newKey, person);
        }
    }

    void delete(PersonRecord person) {
        if (slots.get(person.slot) != person) {
            return;
        }
        slots.set(person.slot, null);
        if (person.id != null) {
            byId.remove(person.id);
        }
        String emailKey = person.emailKey();
        if (emailKey != null) {
            byEmail.remove(emailKey);
        }
        byCioId.remove(person.cioId);
        count--;
    }

    int count() {
        return count;
    }

    int slotCount() {
        return slots.size();
    }

    /** Returns the person in a slot, or null when the slot's person was deleted. */
    PersonRecord slot(int position) {
        return slots.get(position);
    }

    private void register(PersonRecord person) {
        slots.add(person);
        if (person.id != null) {
            byId.put(person.id, person);
        }
        String emailKey = person.emailKey();
        if (emailKey != null) {
            byEmail.put(emailKey, person);
        }
        byCioId.put(person.cioId, person);
        count++;
    }

    private String nextCioId() {
        return cioPrefix + String.format("%08x", slots.size() + 1);
    }
}
