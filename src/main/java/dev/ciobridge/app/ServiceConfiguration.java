package dev.ciobridge.app;

import java.time.Duration;
import java.util.Map;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.accounts.AccountService;
import dev.ciobridge.accounts.AccountStore;
import dev.ciobridge.accounts.CredentialCipher;
import dev.ciobridge.customerio.CustomerIoClient;
import dev.ciobridge.customerio.ApiRateLimits;
import dev.ciobridge.customerio.ApiSurface;
import dev.ciobridge.customerio.TrackRateLimiters;
import dev.ciobridge.customerio.WorkspaceApi;
import dev.ciobridge.outbox.DeliveryMetrics;
import dev.ciobridge.outbox.DeliveryOutcomes;
import dev.ciobridge.outbox.OutboxDispatcher;
import dev.ciobridge.outbox.OutboxStore;
import dev.ciobridge.outbox.OutboxWriter;
import dev.ciobridge.outbox.RetryPolicy;
import dev.ciobridge.outbox.TrackSender;
import dev.ciobridge.sandbox.EmbeddedSandbox;
import dev.ciobridge.sync.SyncSetup;
import dev.ciobridge.unified.IdempotencyStore;
import dev.ciobridge.unified.UnifiedApi;
import dev.ciobridge.unified.UnifiedCursor;
import dev.ciobridge.webhooks.JsonFieldLanguage;
import dev.ciobridge.webhooks.ProductEventsVerifier;
import dev.ciobridge.webhooks.StripeWebhookVerifier;
import dev.ciobridge.webhooks.TrackMapping;
import dev.ciobridge.webhooks.WebhookContext;
import dev.ciobridge.webhooks.WebhookIntake;

/**
 * Builds the service's components once, binds those the routes use under the names the route files refer to, and
 * starts the HTTP server. Components are added as Camel services in start order, so they stop in reverse: the HTTP
 * server first, then the dispatcher and the writer (which stores what is queued), the database last.
 */
public class ServiceConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceConfiguration.class);

    @Override
    public void configure(CamelContext camel) throws Exception {
        Settings settings = new Settings(camel);
        Registry registry = camel.getRegistry();
        ServiceSecrets secrets = ServiceSecrets.load(settings);

        Database database = Database.open(settings);
        camel.addService(closing(database::close), true, true);
        registry.bind("database", database);
        registry.bind("dataSource", database.dataSource());

        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        registry.bind("meterRegistry", meters);
        DeliveryMetrics metrics = new DeliveryMetrics(meters);

        EmbeddedSandbox sandbox = new EmbeddedSandbox(settings.integer("cio-bridge.sandbox.port", 0));
        camel.addService(closing(sandbox::close), true, true);
        registry.bind("embeddedSandbox", sandbox);
        CustomerIoClient customerIo = new CustomerIoClient(settings, sandbox);
        java.util.Map<ApiSurface, Integer> rates = new java.util.EnumMap<>(ApiSurface.class);
        rates.put(ApiSurface.TRACK, settings.integer("customerio.track.requests-per-second", 100));
        rates.put(ApiSurface.APP, settings.integer("customerio.app.requests-per-second", 10));
        rates.put(ApiSurface.TRANSACTIONAL, settings.integer("customerio.transactional.requests-per-second", 100));
        rates.put(ApiSurface.PIPELINES, settings.integer("customerio.pipelines.requests-per-second", 1000));
        ApiRateLimits apiLimits = new ApiRateLimits(rates,
                Double.parseDouble(settings.string("customerio.rate-limit.spacing-margin",
                        Double.toString(ApiRateLimits.DEFAULT_SPACING_MARGIN))),
                settings.integer("customerio.rate-limit.max-queue", 100),
                settings.duration("customerio.rate-limit.max-wait", Duration.ofSeconds(20)));
        TrackRateLimiters rateLimiters = new TrackRateLimiters(apiLimits);
        WorkspaceApi workspaceApi = new WorkspaceApi(customerIo, apiLimits, meters,
                settings.integer("customerio.rate-limited-retries", 5),
                settings.duration("customerio.rate-limit.max-wait", Duration.ofSeconds(20)));
        registry.bind("workspaceApi", workspaceApi);
        AccountStore accounts = new AccountStore(database.dataSource(), new CredentialCipher(secrets.masterKey()));
        registry.bind("accountStore", accounts);
        registry.bind("serviceSecrets", secrets);
        IdempotencyStore idempotency = new IdempotencyStore(database.dataSource(),
                settings.duration("cio-bridge.unified.idempotency-retention", Duration.ofHours(24)),
                settings.duration("cio-bridge.unified.idempotency-wait", Duration.ofSeconds(5)));
        registry.bind("idempotencyStore", idempotency);
        registry.bind("unifiedApi", new UnifiedApi(accounts, workspaceApi, new UnifiedCursor(secrets.masterKey(),
                settings.duration("cio-bridge.unified.cursor-max-age", Duration.ofHours(24))), idempotency));
        AccountService accountService = new AccountService(accounts, customerIo, rateLimiters, sandbox);
        accountService.restoreSandboxWorkspaces();
        registry.bind("accountService", accountService);
        SyncSetup.install(camel, settings, database.dataSource(), accounts, workspaceApi);

        OutboxStore outbox = new OutboxStore(database.dataSource());
        registry.bind("outboxStore", outbox);
        RetryPolicy retryPolicy = new RetryPolicy(
                settings.integer("cio-bridge.delivery.max-attempts", 12),
                settings.duration("cio-bridge.delivery.backoff-initial", Duration.ofSeconds(1)),
                settings.duration("cio-bridge.delivery.backoff-max", Duration.ofMinutes(10)),
                settings.duration("cio-bridge.delivery.rate-limited-backoff", Duration.ofSeconds(2)));
        registry.bind("trackSender", new TrackSender(customerIo, rateLimiters, metrics));
        registry.bind("deliveryOutcomes", new DeliveryOutcomes(outbox, retryPolicy, rateLimiters, metrics));
        OutboxDispatcher dispatcher = new OutboxDispatcher(camel, outbox, accounts, rateLimiters, metrics,
                settings.integer("cio-bridge.delivery.claim-size", 5000),
                settings.integer("cio-bridge.delivery.batch-max-bytes", 500_000),
                settings.integer("cio-bridge.delivery.batch-max-items", 1000),
                settings.duration("cio-bridge.delivery.idle-poll", Duration.ofSeconds(1)).toMillis(),
                settings.integer("cio-bridge.delivery.concurrency", 4));
        registry.bind("outboxDispatcher", dispatcher);
        // The dispatcher sends through the track-delivery route, so it must stop before the routes do.
        camel.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext context) {
                try {
                    dispatcher.close();
                } catch (Exception e) {
                    LOG.warn("Stopping the outbox dispatcher failed", e);
                }
            }
        });
        camel.addService(closing(dispatcher::close), true, true);

        OutboxWriter writer = new OutboxWriter(database,
                settings.integer("cio-bridge.intake.max-group", 256),
                settings.bool("cio-bridge.intake.sync-to-disk", true),
                dispatcher::wakeUp);
        camel.addService(closing(writer::close), true, true);

        WebhookContext webhooks = new WebhookContext(accounts,
                settings.duration("cio-bridge.webhooks.signature-tolerance", Duration.ofMinutes(5)));
        registry.bind(JsonFieldLanguage.NAME, new JsonFieldLanguage());
        registry.bind("stripeWebhookVerifier", new StripeWebhookVerifier(webhooks));
        registry.bind("productEventsVerifier", new ProductEventsVerifier(webhooks));
        registry.bind("trackMapping", new TrackMapping());
        registry.bind("webhookIntake", new WebhookIntake(writer, metrics));

        startHttpServer(camel, settings);
        if (settings.bool("cio-bridge.delivery.enabled", true)) {
            camel.addStartupListener((context, alreadyStarted) -> dispatcher.start());
        } else {
            LOG.warn("Delivery is disabled (cio-bridge.delivery.enabled=false): webhooks are stored but not sent");
        }
    }

    private static void startHttpServer(CamelContext camel, Settings settings) throws Exception {
        // The HTTP consumer runs each route on a Vert.x worker thread and keeps it until the route finishes, which for
        // a webhook includes waiting for its group commit. The worker pool therefore bounds how many webhooks share a
        // commit; Vert.x's default of 20 would cap a group at 20 whatever the number of connections.
        io.vertx.core.VertxOptions vertx = new io.vertx.core.VertxOptions()
                .setWorkerPoolSize(settings.integer("cio-bridge.http.worker-threads", 256));
        camel.getRegistry().bind("vertxOptions", vertx);
        VertxPlatformHttpServerConfiguration http = new VertxPlatformHttpServerConfiguration();
        http.setBindHost(settings.string("cio-bridge.http.host", "127.0.0.1"));
        http.setBindPort(settings.integer("cio-bridge.http.port", 8080));
        http.setMaxBodySize(settings.longValue("cio-bridge.webhooks.max-body-bytes", 1_048_576));
        camel.addService(new VertxPlatformHttpServer(http), true, true);
        camel.addStartupListener((context, alreadyStarted) -> treatFormBodiesAsRaw(context, http.getBindPort()));
        LOG.info("HTTP listener on {}:{}", http.getBindHost(), http.getBindPort());
    }

    /**
     * Every body this service takes is JSON read as raw bytes, because webhook signatures cover the exact bytes. A body
     * labelled as an HTML form would otherwise be decoded by Vert.x and fail with a plain-text 400 before any route
     * runs. The label is replaced, so the route responds with its own JSON error.
     */
    private static void treatFormBodiesAsRaw(CamelContext camel, int port) {
        org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter router =
                org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter.lookup(camel,
                        org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter.getRouterNameFromPort(port));
        // No route matched: a JSON error instead of Vert.x's HTML page. A webhook path without its route is mid-reload
        // or shutting down, so it gets a 503 the sender retries, never a 404 that reports the endpoint as gone.
        router.errorHandler(404, context -> {
            String path = context.request().path();
            boolean webhook = path != null && (path.startsWith("/webhooks/stripe/") || path.startsWith("/webhooks/events/"));
            boolean stopping = camel.isStopping() || camel.isStopped();
            if (webhook || stopping) {
                context.response().putHeader("Retry-After", "5");
                replyJson(context, 503, "cio-bridge is restarting or reloading this route; retry shortly");
            } else {
                replyJson(context, 404, "No resource at " + path);
            }
        });
        router.errorHandler(405, context -> replyJson(context, 405,
                "Method " + context.request().method() + " is not allowed on " + context.request().path()));
        // Requests Vert.x refuses before a route runs, such as a body over the limit, get a JSON error too, logged at
        // DEBUG since they are the client's mistake. NOTE: a path with an invalid percent-escape (%zz) fails in the
        // Vert.x server's own router, outside these handlers: it gets a plain-text 400 and a stack trace at ERROR.
        for (int status : new int[] {400, 413, 431}) {
            router.errorHandler(status, context -> {
                Throwable failure = context.failure();
                LOG.debug("Refused a request to {} with {}: {}", context.request().path(), status,
                        failure == null ? "no detail" : failure.getMessage());
                replyJson(context, status, clientErrorMessage(status, failure));
            });
        }
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String type = context.request().getHeader("Content-Type");
            if (type != null && (type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
                    || type.regionMatches(true, 0, "multipart/", 0, 10))) {
                context.request().headers().set("Content-Type", "application/octet-stream");
            }
            context.next();
        });
    }

    private static String clientErrorMessage(int status, Throwable failure) {
        return switch (status) {
            case 413 -> "The request body is larger than the limit (cio-bridge.webhooks.max-body-bytes)";
            case 431 -> "The request headers are too large";
            default -> failure instanceof IllegalArgumentException && failure.getMessage() != null
                    ? "Invalid request URI: " + failure.getMessage()
                    : "Invalid request";
        };
    }

    private static void replyJson(io.vertx.ext.web.RoutingContext context, int status, String message) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("statusCode", status);
        body.put("error", dev.ciobridge.api.HttpReplies.reasonPhrase(status));
        body.put("message", message);
        context.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(io.vertx.core.buffer.Buffer.buffer(dev.ciobridge.api.Json.write(body)));
    }

    /** Wraps a close action as a Camel service, so it runs when the context stops. */
    private static ServiceSupport closing(ThrowingRunnable close) {
        return new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                close.run();
            }
        };
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
