package dev.ciobridge.sandbox;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import io.vertx.core.http.HttpMethod;

/**
 * App API routing. Every request but a transactional send passes the workspace's App API limit, which Customer.io enforces at
 * 10 per second. Sends pass the transactional limit instead, because Customer.io counts them with Track traffic.
 */
final class AppHandlers {

    private final AppPeopleHandlers people = new AppPeopleHandlers();
    private final AppSegmentHandlers segments = new AppSegmentHandlers();
    private final AppMessagingHandlers messaging = new AppMessagingHandlers();
    private final TransactionalSendHandler sends = new TransactionalSendHandler();

    boolean handle(SimExchange exchange) {
        SandboxWorkspace workspace = exchange.workspace;
        boolean send = exchange.segments.length == 3 && exchange.segments[0].equals("v1")
                && exchange.segments[1].equals("send") && exchange.method().equals(HttpMethod.POST);
        if (send) {
            if (workspace.transactionalLimiter != null && !workspace.transactionalLimiter.acquirePermission()) {
                throw ApiError.metaError(429, "rate limited to " + workspace.spec().transactionalRequestsPerSecond()
                        + " transactional sends per second (sandbox)").withRetryAfter(1);
            }
            return sends.handle(exchange);
        }
        if (workspace.appLimiter != null && !workspace.appLimiter.acquirePermission()) {
            String reference = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            throw ApiError.appRateLimited(workspace.spec().appRequestsPerSecond(), reference);
        }
        if (exchange.segments.length < 2 || !exchange.segments[0].equals("v1")) {
            return false;
        }
        return switch (exchange.segments[1]) {
            case "customers" -> people.handle(exchange);
            case "segments" -> segments.handle(exchange);
            default -> messaging.handle(exchange);
        };
    }
}
