package dev.ciobridge.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.customerio.Ulid;

/**
 * Runs the syncs that templated routes declare. Quartz fires a sync's route on its schedule, and the route calls
 * {@link #runScheduled}; {@code POST /syncs/{syncId}/runs} calls {@link #startManual}. One sync never has two runs at
 * once: a manual start during a run gets 409, and a scheduled start is skipped. While a run goes on, its counts are
 * stored and its progress logged at a steady interval. When the service stops, runs end at the next row or request,
 * and are stored as interrupted.
 */
public final class SyncEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);

    private final CamelContext camel;
    private final SyncServices services;
    private final int maxProblemsPerRun;
    private final Map<String, SyncRun> running = new ConcurrentHashMap<>();
    private final ExecutorService manualRuns = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "sync-manual-run");
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sync-progress");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean stopping;

    SyncEngine(CamelContext camel, SyncServices services, int maxProblemsPerRun) {
        this.camel = camel;
        this.services = services;
        this.maxProblemsPerRun = maxProblemsPerRun;
    }

    /** Marks runs that an earlier process left running as interrupted, and starts the progress log. */
    void start() throws Exception {
        int abandoned = services.runs().markAbandonedRunsInterrupted();
        if (abandoned > 0) {
            LOG.warn("Marked {} sync runs interrupted: the service stopped before they ended", abandoned);
        }
        long interval = services.progressIntervalMillis();
        progress.scheduleAtFixedRate(this::reportProgress, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** The definitions of every sync route, and for each route whose parameters are invalid, the error. */
    public record Catalog(Map<String, SyncDefinition> syncs, Map<String, String> errors) {
    }

    public Catalog catalog() {
        Map<String, SyncDefinition> syncs = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (RouteDefinition route : ((ModelCamelContext) camel).getRouteDefinitions()) {
            SyncDefinition.Kind kind = SyncDefinition.Kind.ofTemplate(route.getGroup());
            if (kind == null || route.getTemplateParameters() == null) {
                continue;
            }
            try {
                SyncDefinition definition = SyncDefinition.of(kind, route.getRouteId(), route.getTemplateParameters());
                if (syncs.putIfAbsent(definition.syncId(), definition) != null) {
                    errors.put(route.getRouteId(), "syncId '" + definition.syncId() + "' is used by another sync route");
                }
            } catch (IllegalArgumentException e) {
                errors.put(route.getRouteId(), e.getMessage());
            }
        }
        return new Catalog(syncs, errors);
    }

    public List<Map<String, Object>> list() throws Exception {
        Catalog catalog = catalog();
        List<Map<String, Object>> result = new ArrayList<>();
        for (SyncDefinition definition : catalog.syncs().values()) {
            Map<String, Object> json = definition.toJson();
            SyncRun run = running.get(definition.syncId());
            json.put("running_run_id", run == null ? null : run.id);
            List<Map<String, Object>> last = services.runs().list(definition.syncId(), 1);
            json.put("last_run", last.isEmpty() ? null : last.get(0));
            result.add(json);
        }
        catalog.errors().forEach((routeId, error) -> {
            Map<String, Object> json = new LinkedHashMap<>();
            String syncId = declaredSyncId(routeId);
            if (syncId != null) {
                json.put("sync_id", syncId);
            }
            json.put("route_id", routeId);
            json.put("error", error);
            result.add(json);
        });
        return result;
    }

    /** Called by a sync's route when Quartz fires it; runs the sync on the Quartz thread unless a run is going. */
    public void runScheduled(Exchange exchange) throws Exception {
        String routeId = exchange.getFromRouteId();
        Catalog catalog = catalog();
        SyncDefinition definition = catalog.syncs().values().stream()
                .filter(candidate -> candidate.routeId().equals(routeId)).findFirst().orElse(null);
        if (definition == null) {
            LOG.error("Sync route {} cannot run: {}", routeId, catalog.errors().getOrDefault(routeId, "it declares no sync"));
            return;
        }
        SyncRun run = claim(definition, "schedule", false);
        if (run == null) {
            LOG.info("Sync {}: the scheduled start is skipped because run {} is still going", definition.syncId(),
                    running.get(definition.syncId()).id);
            return;
        }
        execute(run);
    }

    /**
     * Starts a run now, on its own thread, and returns it as first stored.
     *
     * @throws ApiException 404 for an unknown sync, 422 for one whose parameters are invalid, 409 while it runs
     */
    public Map<String, Object> startManual(String syncId, boolean dryRun) throws Exception {
        if (stopping) {
            throw new ApiException(503, "The service is stopping; start the run after it restarts");
        }
        SyncDefinition definition = find(syncId);
        SyncRun run = claim(definition, "manual", dryRun);
        if (run == null) {
            throw new ApiException(409, "Sync " + syncId + " is running (run " + running.get(syncId).id
                    + "); start another run when it has ended");
        }
        manualRuns.submit(() -> execute(run));
        return services.runs().find(syncId, run.id).orElseThrow();
    }

    public List<Map<String, Object>> runs(String syncId, int limit) throws Exception {
        find(syncId);
        return services.runs().list(syncId, limit);
    }

    public Map<String, Object> run(String syncId, String runId) throws Exception {
        find(syncId);
        Optional<Map<String, Object>> run = services.runs().find(syncId, runId);
        return run.orElseThrow(() -> ApiException.notFound("Sync " + syncId + " has no run " + runId));
    }

    private SyncDefinition find(String syncId) {
        Catalog catalog = catalog();
        SyncDefinition definition = catalog.syncs().get(syncId);
        if (definition != null) {
            return definition;
        }
        for (Map.Entry<String, String> error : catalog.errors().entrySet()) {
            if (syncId.equals(declaredSyncId(error.getKey())) || error.getKey().contains(syncId)) {
                throw new ApiException(422, "Sync route " + error.getKey() + " is invalid: " + error.getValue());
            }
        }
        throw ApiException.notFound("No sync " + syncId + "; GET /syncs lists the syncs");
    }

    /** Returns the syncId parameter of a sync route as written, valid or not, or null when it has none. */
    private String declaredSyncId(String routeId) {
        RouteDefinition route = ((ModelCamelContext) camel).getRouteDefinition(routeId);
        if (route == null || route.getTemplateParameters() == null) {
            return null;
        }
        Object syncId = route.getTemplateParameters().get("syncId");
        return syncId == null ? null : syncId.toString();
    }

    /** Registers and stores a new run, or returns null when the sync already has one going. */
    private SyncRun claim(SyncDefinition definition, String trigger, boolean dryRun) throws Exception {
        SyncRun run = new SyncRun("run_" + Ulid.random(), definition, trigger, dryRun, maxProblemsPerRun);
        if (running.putIfAbsent(definition.syncId(), run) != null) {
            return null;
        }
        try {
            services.runs().insert(run);
        } catch (Exception e) {
            running.remove(definition.syncId(), run);
            throw e;
        }
        return run;
    }

    private void execute(SyncRun run) {
        String syncId = run.definition.syncId();
        LOG.info("Sync {} run {} started ({}{})", syncId, run.id, run.trigger, run.dryRun ? ", dry run" : "");
        String status;
        String error = null;
        try {
            SyncRunner runner = run.definition.kind() == SyncDefinition.Kind.ATTRIBUTES
                    ? new AttributeSync(run, services, () -> stopping)
                    : new AudienceSync(run, services, () -> stopping);
            runner.execute();
            if (stopping) {
                status = RunStore.INTERRUPTED;
            } else if (run.failed.get() > 0 || run.rejected.get() > 0) {
                status = RunStore.COMPLETED_WITH_FAILURES;
            } else {
                status = RunStore.SUCCEEDED;
            }
            if (stopping) {
                error = "The service stopped during the run; the next run sends what was not confirmed";
            }
        } catch (SyncRunner.RunAborted e) {
            status = RunStore.FAILED;
            error = e.getMessage();
        } catch (Exception e) {
            status = stopping ? RunStore.INTERRUPTED : RunStore.FAILED;
            // The message alone: class names mean nothing to API callers. The log keeps the exception with its stack trace.
            error = e.getMessage() == null ? "an unexpected error occurred; the service log has the details" : e.getMessage();
            LOG.error("Sync {} run {} failed", syncId, run.id, e);
        }
        try {
            services.runs().save(run, status, error);
        } catch (Exception e) {
            LOG.error("Sync {} run {}: storing the end of the run failed", syncId, run.id, e);
        } finally {
            running.remove(syncId, run);
        }
        long seconds = Math.max(1, (System.currentTimeMillis() - run.startedAt) / 1000);
        LOG.info("Sync {} run {} {} in {} s: {} rows read, {} unchanged, {} sent, {} removed, {} invalid, {} rejected, {} failed,"
                        + " {} retried{}", syncId, run.id, status, seconds, run.rowsRead.get(), run.unchanged.get(), run.sent.get(),
                run.removed.get(), run.invalid.get(), run.rejected.get(), run.failed.get(), run.retried.get(),
                error == null ? "" : "; " + error);
    }

    private void reportProgress() {
        for (SyncRun run : running.values()) {
            try {
                services.runs().save(run, null, null);
                long done = run.rowsRead.get();
                double seconds = Math.max(0.001, (System.currentTimeMillis() - run.startedAt) / 1000.0);
                double rate = done / seconds;
                String left = run.expectedRows > done && rate > 0
                        ? Math.round((run.expectedRows - done) / rate) + " s" : "unknown";
                LOG.info("Sync {} run {}: {} of about {} rows read ({} rows/s), {} sent, {} invalid; estimated time left {}",
                        run.definition.syncId(), run.id, done, run.expectedRows < 0 ? "?" : run.expectedRows, Math.round(rate),
                        run.sent.get(), run.invalid.get(), left);
            } catch (Exception e) {
                LOG.warn("Sync {} run {}: storing progress failed", run.definition.syncId(), run.id, e);
            }
        }
    }

    /** Asks running runs to stop and waits up to the timeout for them to store their end. */
    void stop(long timeoutMillis) throws InterruptedException {
        stopping = true;
        long until = System.currentTimeMillis() + timeoutMillis;
        while (!running.isEmpty() && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        if (!running.isEmpty()) {
            LOG.warn("Sync runs {} did not stop in time; the next start marks them interrupted", running.keySet());
        }
    }

    @Override
    public void close() throws Exception {
        stop(20_000);
        progress.shutdownNow();
        manualRuns.shutdownNow();
        services.sources().close();
    }
}
