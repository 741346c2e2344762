package dev.ciobridge.sandbox;

import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A segment: manual ones list their members, data-driven ("dynamic") ones compute membership from a filter. */
final class SegmentRecord {

    final int id;
    final String name;
    final String description;
    final boolean manual;
    final long createdAt;
    long updatedAt;
    private final CustomerFilter rule;
    /** cio_ids of the members of a manual segment. */
    private final Set<String> members;

    private SegmentRecord(int id, String name, String description, boolean manual, CustomerFilter rule, long createdAt) {
        this.id = id;
        this.name = name;
        this.description = description;
        this.manual = manual;
        this.rule = rule;
        this.members = manual ? new HashSet<>() : null;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    static SegmentRecord manual(int id, String name, String description, long createdAt) {
        return new SegmentRecord(id, name, description, true, null, createdAt);
    }

    static SegmentRecord dynamic(int id, String name, String description, CustomerFilter rule, long createdAt) {
        return new SegmentRecord(id, name, description, false, rule, createdAt);
    }

    boolean isMember(PersonRecord person, SegmentStore segments) {
        return manual ? members.contains(person.cioId) : rule.matches(person, segments);
    }

    /** Adds a person to a manual segment; returns false when the person was already a member. */
    boolean add(PersonRecord person) {
        return members.add(person.cioId);
    }

    boolean remove(PersonRecord person) {
        return members.remove(person.cioId);
    }

    ObjectNode toJson() {
        ObjectNode json = SandboxJson.object();
        json.put("id", id);
        json.put("deduplicate_id", id + ":" + updatedAt);
        json.put("name", name);
        json.put("description", description);
        json.put("state", "finished");
        json.putNull("progress");
        json.put("type", manual ? "manual" : "dynamic");
        json.putArray("tags");
        json.put("created_at", createdAt);
        json.put("updated_at", updatedAt);
        return json;
    }
}
