package dev.ciobridge.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** One run of a sync while it is going: its counts, and the rows it could not sync, with the reason. */
final class SyncRun {

    /** A row the run did not sync: invalid (found before sending), rejected (by Customer.io) or failed. */
    record Problem(String kind, Long rowNumber, String rowKey, String field, String message) {

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("kind", kind);
            if (rowNumber != null) {
                json.put("row", rowNumber);
            }
            json.put("key", rowKey);
            json.put("field", field);
            json.put("message", message);
            return json;
        }
    }

    final String id;
    final SyncDefinition definition;
    final String trigger;
    final boolean dryRun;
    final long startedAt = System.currentTimeMillis();

    final AtomicLong rowsRead = new AtomicLong();
    final AtomicLong unchanged = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong removed = new AtomicLong();
    final AtomicLong invalid = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong apiCalls = new AtomicLong();
    /** Rows the query returns, counted before the run, for the progress log; -1 when unknown. */
    volatile long expectedRows = -1;
    /** Set once the run's end is stored; guarded by the run's monitor. */
    boolean ended;

    private final int maxProblems;
    private final List<Problem> pendingProblems = new ArrayList<>();
    private int problemCount;

    SyncRun(String id, SyncDefinition definition, String trigger, boolean dryRun, int maxProblems) {
        this.id = id;
        this.definition = definition;
        this.trigger = trigger;
        this.dryRun = dryRun;
        this.maxProblems = maxProblems;
    }

    void invalid(SourceRow row) {
        invalid.incrementAndGet();
        addProblem(new Problem("invalid", row.rowNumber(), row.key(), row.problemField(), row.problem()));
    }

    void invalid(Long rowNumber, String key, String field, String message) {
        invalid.incrementAndGet();
        addProblem(new Problem("invalid", rowNumber, key, field, message));
    }

    void rejected(String key, String field, String message) {
        rejected.incrementAndGet();
        addProblem(new Problem("rejected", null, key, field, message));
    }

    void failed(String key, String message) {
        failed.incrementAndGet();
        addProblem(new Problem("failed", null, key, null, message));
    }

    /** Keeps a problem for storage, up to the run's limit; the counters count every one. */
    private synchronized void addProblem(Problem problem) {
        if (problemCount < maxProblems) {
            pendingProblems.add(problem);
            problemCount++;
        }
    }

    /** Returns and clears the problems not yet stored. */
    synchronized List<Problem> drainProblems() {
        List<Problem> drained = new ArrayList<>(pendingProblems);
        pendingProblems.clear();
        return drained;
    }

    /** The first sequence number of the problems {@link #drainProblems} returns next. */
    synchronized int storedProblems() {
        return problemCount - pendingProblems.size();
    }
}
