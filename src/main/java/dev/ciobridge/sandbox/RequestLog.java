package dev.ciobridge.sandbox;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counts the requests a workspace received per surface and keeps the most recent ones for inspection. */
final class RequestLog {

    /** Enough recent requests for a test to inspect, bounded so a load test does not fill the heap. */
    static final int RECENT_CAPACITY = 2_000;

    private final Map<Surface, LongAdder> counts = new EnumMap<>(Surface.class);
    private final RecordedRequest[] recent = new RecordedRequest[RECENT_CAPACITY];
    private long written;

    RequestLog() {
        for (Surface surface : Surface.values()) {
            counts.put(surface, new LongAdder());
        }
    }

    void add(RecordedRequest request) {
        counts.get(request.surface()).increment();
        synchronized (recent) {
            recent[(int) (written % RECENT_CAPACITY)] = request;
            written++;
        }
    }

    long count(Surface surface) {
        return counts.get(surface).sum();
    }

    long total() {
        long total = 0;
        for (LongAdder count : counts.values()) {
            total += count.sum();
        }
        return total;
    }

    /** Returns the most recent requests, oldest first. */
    List<RecordedRequest> recent() {
        synchronized (recent) {
            int size = (int) Math.min(written, RECENT_CAPACITY);
            List<RecordedRequest> result = new ArrayList<>(size);
            for (long i = written - size; i < written; i++) {
                result.add(recent[(int) (i % RECENT_CAPACITY)]);
            }
            return result;
        }
    }
}
