package dev.ciobridge.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The segments of one workspace, by id in ascending order. */
final class SegmentStore {

    private final Map<Integer, SegmentRecord> segments = new TreeMap<>();
    private int nextId = 1;

    SegmentRecord get(int id) {
        return segments.get(id);
    }

    List<SegmentRecord> all() {
        return new ArrayList<>(segments.values());
    }

    SegmentRecord addManual(String name, String description, long now) {
        SegmentRecord segment = SegmentRecord.manual(nextId++, name, description, now);
        segments.put(segment.id, segment);
        return segment;
    }

    SegmentRecord addDynamic(String name, String description, CustomerFilter rule, long now) {
        SegmentRecord segment = SegmentRecord.dynamic(nextId++, name, description, rule, now);
        segments.put(segment.id, segment);
        return segment;
    }

    boolean delete(int id) {
        return segments.remove(id) != null;
    }
}
