package dev.ciobridge.sync;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import dev.ciobridge.api.AdminAuth;
import dev.ciobridge.api.ApiErrorHandling;
import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.HttpReplies;
import dev.ciobridge.app.ServiceSecrets;

/** The admin API of syncs: definitions, run history, and starting a run now. */
public class SyncRoutes extends RouteBuilder {

    public static final String SYNCS_ROUTE = "syncs";
    public static final String RUNS_ROUTE = "sync-runs";
    public static final String RUN_ROUTE = "sync-run";
    /** Runs listed by {@code GET /syncs/{syncId}/runs} when {@code limit} is absent. */
    static final int DEFAULT_RUN_LIMIT = 50;

    @Override
    public void configure() {
        SyncEngine engine = getContext().getRegistry().lookupByNameAndType(SyncSetup.ENGINE_BEAN, SyncEngine.class);
        AdminAuth auth = new AdminAuth(getContext().getRegistry().lookupByNameAndType("serviceSecrets", ServiceSecrets.class));

        from("platform-http:/syncs?httpMethodRestrict=GET")
                .routeId(SYNCS_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(auth)
                .process(exchange -> HttpReplies.json(exchange, 200, Map.of("result", engine.list())));

        from("platform-http:/syncs/{syncId}/runs?httpMethodRestrict=GET,POST")
                .routeId(RUNS_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(auth)
                .process(exchange -> {
                    String syncId = exchange.getIn().getHeader("syncId", String.class);
                    if ("POST".equals(exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class))) {
                        boolean dryRun = booleanParameter(exchange, "dry_run");
                        HttpReplies.json(exchange, 202, engine.startManual(syncId, dryRun));
                    } else {
                        int limit = limitParameter(exchange);
                        HttpReplies.json(exchange, 200, Map.of("result", engine.runs(syncId, limit)));
                    }
                });

        from("platform-http:/syncs/{syncId}/runs/{runId}?httpMethodRestrict=GET")
                .routeId(RUN_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(auth)
                .process(exchange -> HttpReplies.json(exchange, 200, engine.run(
                        exchange.getIn().getHeader("syncId", String.class), exchange.getIn().getHeader("runId", String.class))));
    }

    private static boolean booleanParameter(Exchange exchange, String name) {
        String value = exchange.getIn().getHeader(name, String.class);
        if (value == null || value.isEmpty() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiException.badRequest("Query parameter " + name + " must be true or false, got '" + value + "'");
    }

    private static int limitParameter(Exchange exchange) {
        String value = exchange.getIn().getHeader("limit", String.class);
        if (value == null || value.isEmpty()) {
            return DEFAULT_RUN_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Reported below with the accepted range.
        }
        throw ApiException.badRequest("Query parameter limit must be a whole number from 1 to 1000, got '" + value + "'");
    }
}
