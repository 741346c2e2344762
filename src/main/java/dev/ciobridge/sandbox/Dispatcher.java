package dev.ciobridge.sandbox;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Sends each request to its surface: {@code /track}, {@code /app}, {@code /pipelines} or {@code /_sandbox}. For the
 * three Customer.io surfaces it authenticates the workspace, applies injected faults and rate limits, then runs the
 * surface's handler and turns an {@link ApiError} into its response.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    static final String TRACK_BASE = "/track";
    static final String APP_BASE = "/app";
    static final String PIPELINES_BASE = "/pipelines";
    static final String ADMIN_BASE = "/_sandbox";

    private final WorkspaceRegistry registry;
    private final TrackV1Handlers trackV1;
    private final TrackV2Handlers trackV2;
    private final AppHandlers app;
    private final PipelinesHandlers pipelines;
    private final AdminHandlers admin;

    Dispatcher(WorkspaceRegistry registry, Supplier<SimulatorUrls> urls) {
        this.registry = registry;
        this.trackV1 = new TrackV1Handlers(registry, urls);
        this.trackV2 = new TrackV2Handlers();
        this.app = new AppHandlers();
        this.pipelines = new PipelinesHandlers();
        this.admin = new AdminHandlers(registry, urls);
    }

    void dispatch(Vertx vertx, HttpServerRequest request, Buffer body) {
        String fullPath = request.path();
        SimExchange exchange;
        if (startsWithBase(fullPath, TRACK_BASE)) {
            exchange = new SimExchange(vertx, request, body, Surface.TRACK, fullPath.substring(TRACK_BASE.length()));
        } else if (startsWithBase(fullPath, APP_BASE)) {
            exchange = new SimExchange(vertx, request, body, Surface.APP, fullPath.substring(APP_BASE.length()));
        } else if (startsWithBase(fullPath, PIPELINES_BASE)) {
            exchange = new SimExchange(vertx, request, body, Surface.PIPELINES, fullPath.substring(PIPELINES_BASE.length()));
        } else if (startsWithBase(fullPath, ADMIN_BASE)) {
            exchange = new SimExchange(vertx, request, body, Surface.ADMIN, fullPath.substring(ADMIN_BASE.length()));
        } else {
            exchange = new SimExchange(vertx, request, body, Surface.ADMIN, fullPath);
            exchange.replyError(ApiError.app(404, "no simulator surface at " + fullPath
                    + "; use /track, /app, /pipelines or /_sandbox"));
            return;
        }
        try {
            switch (exchange.surface) {
                case TRACK -> track(exchange);
                case APP -> app(exchange);
                case PIPELINES -> pipelines(exchange);
                default -> run(exchange, () -> admin.handle(exchange));
            }
        } catch (ApiError error) {
            exchange.replyError(error);
        }
    }

    private static boolean startsWithBase(String path, String base) {
        return path.startsWith(base) && (path.length() == base.length() || path.charAt(base.length()) == '/');
    }

    private void track(SimExchange exchange) {
        boolean v2 = exchange.path.startsWith("/api/v2/");
        if (exchange.path.startsWith("/unsubscribe/")) {
            // The unsubscribe link carries no credentials: the delivery id names the workspace.
            run(exchange, () -> trackV1.unsubscribe(exchange));
            return;
        }
        exchange.workspace = registry.authenticateTrack(exchange.header("Authorization"));
        if (exchange.workspace == null) {
            exchange.replyError(v2
                    ? ApiError.trackV2(401, "unauthorized", "Authorization", "site id and Track API key do not match a workspace")
                    : ApiError.trackV1(401, "Unauthorized request: site id and Track API key do not match a workspace"));
            return;
        }
        FaultInjector.apply(exchange, () -> run(exchange, () -> {
            SandboxWorkspace workspace = exchange.workspace;
            if (workspace.trackLimiter != null && !workspace.trackLimiter.acquirePermission()) {
                throw ApiError.trackV1(429, "rate limited to " + workspace.spec().trackRequestsPerSecond()
                        + " Track API requests per second (sandbox)").withRetryAfter(1);
            }
            boolean handled = v2 ? trackV2.handle(exchange) : trackV1.handle(exchange);
            if (!handled) {
                throw v2 ? ApiError.trackV2(404, "not_found", "path", "no Track API v2 operation at " + exchange.path)
                        : ApiError.trackV1(404, "no Track API operation " + exchange.method() + " " + exchange.path);
            }
        }));
    }

    private void app(SimExchange exchange) {
        exchange.workspace = registry.authenticateApp(exchange.header("Authorization"));
        if (exchange.workspace == null) {
            exchange.replyError(ApiError.app(401, "Unauthorized: the bearer token is not a valid App API key"));
            return;
        }
        FaultInjector.apply(exchange, () -> run(exchange, () -> {
            if (!app.handle(exchange)) {
                throw ApiError.app(404, "no App API operation " + exchange.method() + " " + exchange.path);
            }
        }));
    }

    private void pipelines(SimExchange exchange) {
        boolean strict = "1".equals(exchange.header("X-Strict-Mode"));
        exchange.workspace = registry.authenticatePipelines(exchange.header("Authorization"));
        if (exchange.workspace == null) {
            if (strict) {
                exchange.replyError(ApiError.trackV1(401, "Unauthorized request: the Pipelines API key matches no workspace"));
            } else {
                // Without strict mode Customer.io responds with 200 and drops the data.
                exchange.replyEmptyObject();
            }
            return;
        }
        FaultInjector.apply(exchange, () -> run(exchange, () -> {
            if (!pipelines.handle(exchange, strict)) {
                throw ApiError.trackV1(404, "no Pipelines API operation " + exchange.method() + " " + exchange.path);
            }
        }));
    }

    /** Runs a handler and sends its {@link ApiError}, or a 500 for a bug in the simulator itself. */
    private static void run(SimExchange exchange, Runnable handler) {
        try {
            handler.run();
        } catch (ApiError error) {
            exchange.replyError(error);
        } catch (RuntimeException bug) {
            LOG.error("Simulator failed on {} {}{}", exchange.method(), exchange.surface, exchange.path, bug);
            exchange.replyError(ApiError.app(500, "simulator error: " + bug));
        }
    }
}
