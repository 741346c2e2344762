package dev.ciobridge.sandbox;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The mutable state of one person. Seeded people keep their generated attributes virtual until the first write, so
 * a workspace of 100,000 people stores no attribute maps until requests touch them. All access happens while holding
 * the workspace lock.
 */
final class PersonRecord {

    final String cioId;
    final long createdAt;
    /** Position in the people list, used as the stable order of pagination cursors. */
    final int slot;
    /** Index in the seed generator, or -1 for people created through the API. */
    final int seedIndex;
    private final PeopleSeed seed;

    String id;
    String emailOriginal;
    private Map<String, JsonNode> attributes;
    private List<DeviceRecord> devices;
    private List<EventRecord> events;

    PersonRecord(String cioId, int slot, long createdAt, int seedIndex, PeopleSeed seed) {
        this.cioId = cioId;
        this.slot = slot;
        this.createdAt = createdAt;
        this.seedIndex = seedIndex;
        this.seed = seed;
    }

    /** Returns the lower-cased email used for lookups, or null. */
    String emailKey() {
        return emailOriginal == null ? null : new Identifier(IdType.EMAIL, emailOriginal).value();
    }

    /** Reads one attribute without materialising the generated attributes of a seeded person. */
    JsonNode attribute(String name) {
        if (attributes == null) {
            return seedIndex >= 0 ? seed.attribute(seedIndex, name) : null;
        }
        return attributes.get(name);
    }

    Map<String, JsonNode> attributesForWrite() {
        if (attributes == null) {
            attributes = seedIndex >= 0 ? seed.attributes(seedIndex) : new LinkedHashMap<>();
        }
        return attributes;
    }

    Map<String, JsonNode> attributesView() {
        if (attributes == null) {
            return seedIndex >= 0 ? seed.attributes(seedIndex) : Map.of();
        }
        return attributes;
    }

    int attributeCount() {
        return attributesView().size();
    }

    List<DeviceRecord> devices() {
        return devices == null ? List.of() : devices;
    }

    void putDevice(DeviceRecord device) {
        if (devices == null) {
            devices = new ArrayList<>(2);
        }
        devices.removeIf(existing -> existing.token().equals(device.token()));
        devices.add(device);
    }

    boolean removeDevice(String token) {
        return devices != null && devices.removeIf(existing -> existing.token().equals(token));
    }

    List<EventRecord> events() {
        return events == null ? List.of() : events;
    }

    /** Removes and returns this person's oldest stored event, or null when none is left (after a merge or delete). */
    EventRecord removeOldestEvent() {
        return events == null || events.isEmpty() ? null : events.remove(0);
    }

    void addEvent(EventRecord event) {
        if (events == null) {
            events = new ArrayList<>(4);
        }
        events.add(event);
    }

    boolean hasIdentifier(Identifier identifier) {
        return switch (identifier.type()) {
            case ID -> identifier.value().equals(id);
            case EMAIL -> identifier.value().equals(emailKey());
            case CIO_ID -> identifier.value().equals(cioId);
        };
    }

    PersonSnapshot snapshot() {
        return new PersonSnapshot(cioId, id, emailOriginal,
                Collections.unmodifiableMap(new LinkedHashMap<>(attributesView())),
                List.copyOf(devices()), List.copyOf(events()), createdAt);
    }
}
