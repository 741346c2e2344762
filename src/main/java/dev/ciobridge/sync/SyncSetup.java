package dev.ciobridge.sync;

import java.time.Duration;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.accounts.AccountStore;
import dev.ciobridge.app.Settings;
import dev.ciobridge.customerio.WorkspaceApi;

/** Builds the sync engine from the {@code cio-bridge.syncs.*} properties and ties it to the Camel context's lifecycle. */
public final class SyncSetup {

    /** Registry name the sync route templates call. */
    public static final String ENGINE_BEAN = "syncEngine";

    private static final Logger LOG = LoggerFactory.getLogger(SyncSetup.class);

    private SyncSetup() {
    }

    /**
     * Returns, for a sync route whose parameters are invalid, a policy that keeps the route and its Quartz trigger from
     * starting, and logs the error once. Returns null for every other route.
     */
    private static RoutePolicy invalidSyncPolicy(CamelContext camel, String routeId, NamedNode node) {
        if (!(node instanceof RouteDefinition route) || route.getTemplateParameters() == null) {
            return null;
        }
        SyncDefinition.Kind kind = SyncDefinition.Kind.ofTemplate(route.getGroup());
        if (kind == null) {
            return null;
        }
        String error;
        try {
            SyncDefinition.of(kind, routeId, route.getTemplateParameters());
            return null;
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
        }
        Object syncId = route.getTemplateParameters().get("syncId");
        LOG.warn("Sync {} (route {}) is invalid and not scheduled: {}", syncId, routeId, error);
        return new RoutePolicySupport() {
            @Override
            public void onInit(Route initialised) {
                initialised.setAutoStartup(false);
            }
        };
    }

    public static SyncEngine install(CamelContext camel, Settings settings, DataSource database, AccountStore accounts,
                                     WorkspaceApi workspaceApi) {
        SyncCalls calls = new SyncCalls(workspaceApi,
                settings.integer("cio-bridge.syncs.max-attempts", 6),
                settings.duration("cio-bridge.syncs.backoff-initial", Duration.ofSeconds(1)),
                settings.duration("cio-bridge.syncs.backoff-max", Duration.ofMinutes(1)));
        SyncServices services = new SyncServices(
                new SourceDatabases(settings, settings.integer("cio-bridge.syncs.source-pool-size", 2)),
                new SnapshotStore(database),
                new RunStore(database),
                accounts,
                calls,
                settings.integer("cio-bridge.syncs.fetch-size", 1000),
                settings.integer("cio-bridge.syncs.batch-max-bytes", 500_000),
                settings.integer("cio-bridge.syncs.batch-max-items", 1000),
                Math.max(1, settings.integer("cio-bridge.syncs.concurrency", 2)),
                settings.duration("cio-bridge.syncs.progress-interval", Duration.ofSeconds(10)).toMillis());
        SyncEngine engine = new SyncEngine(camel, services, settings.integer("cio-bridge.syncs.max-problems-per-run", 1000));
        camel.getRegistry().bind(ENGINE_BEAN, engine);
        camel.addRoutePolicyFactory(SyncSetup::invalidSyncPolicy);
        // Runs stop before Quartz and the routes do, so that a stopping service does not wait for a long run to end.
        camel.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext context) {
                try {
                    engine.stop(settings.duration("cio-bridge.syncs.stop-timeout", Duration.ofSeconds(20)).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try {
            camel.addService(new ServiceSupport() {
                @Override
                protected void doStart() throws Exception {
                    engine.start();
                }

                @Override
                protected void doStop() throws Exception {
                    engine.close();
                }
            }, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot register the sync engine", e);
        }
        LOG.info("Sync engine ready");
        return engine;
    }
}
