package dev.ciobridge.app;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;

import dev.ciobridge.api.ApiErrorHandling;
import dev.ciobridge.api.HttpReplies;

/** {@code /observe/health}: 200 when the context is started and the database responds, 503 otherwise; {@code /observe/metrics}: Prometheus text. */
public class ObservabilityRoutes extends RouteBuilder {

    public static final String HEALTH_ROUTE = "observe-health";
    public static final String METRICS_ROUTE = "observe-metrics";

    @Override
    public void configure() {
        Database database = getContext().getRegistry().lookupByNameAndType("database", Database.class);
        PrometheusMeterRegistry meters = getContext().getRegistry().lookupByNameAndType("meterRegistry", PrometheusMeterRegistry.class);

        from("platform-http:/observe/health?httpMethodRestrict=GET")
                .routeId(HEALTH_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(exchange -> {
                    boolean started = getContext().getStatus() == ServiceStatus.Started;
                    boolean databaseUp = database.isReady();
                    Map<String, Object> checks = new LinkedHashMap<>();
                    checks.put("context", started ? "UP" : "DOWN");
                    checks.put("database", databaseUp ? "UP" : "DOWN");
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", started && databaseUp ? "UP" : "DOWN");
                    body.put("checks", checks);
                    HttpReplies.json(exchange, started && databaseUp ? 200 : 503, body);
                });

        from("platform-http:/observe/metrics?httpMethodRestrict=GET")
                .routeId(METRICS_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(exchange -> {
                    exchange.getMessage().removeHeaders("*");
                    exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    exchange.getMessage().setBody(meters.scrape());
                });
    }
}
