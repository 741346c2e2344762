package dev.ciobridge.api;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error handling of every HTTP route: an {@link ApiException} becomes its status with a JSON error body, anything
 * else a 500 whose body carries no internal detail (the log has it).
 */
public class ApiErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "api-errors";

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorHandling.class);

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(ApiException.class)
                    .handled(true)
                    .process(ApiErrorHandling::writeApiError)
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .process(ApiErrorHandling::writeInternalError)
                .end();
    }

    private static void writeApiError(Exchange exchange) {
        ApiException error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ApiException.class);
        countWebhookRejection(exchange, error.status());
        if (LOG.isDebugEnabled()) {
            LOG.debug("Rejected {} {} on route {}: {} {}", exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                    exchange.getIn().getHeader(Exchange.HTTP_PATH), exchange.getFromRouteId(), error.status(),
                    error.getMessage());
        }
        HttpReplies.error(exchange, error.status(), error.getMessage(), error.details(), error.fields());
        error.headers().forEach(exchange.getMessage()::setHeader);
    }

    /** Counts rejected webhooks by route and status, so that signature failures and bad payloads can be alerted on. */
    private static void countWebhookRejection(Exchange exchange, int status) {
        String route = exchange.getFromRouteId();
        io.micrometer.core.instrument.MeterRegistry meters = exchange.getContext().getRegistry()
                .lookupByNameAndType("meterRegistry", io.micrometer.core.instrument.MeterRegistry.class);
        if (route != null && route.contains("webhook") && meters != null) {
            meters.counter("cio_bridge_webhook_rejections", "route", route, "status", Integer.toString(status)).increment();
        }
    }

    private static void writeInternalError(Exchange exchange) {
        Exception error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.error("Request failed on route {}", exchange.getFromRouteId(), error);
        HttpReplies.error(exchange, 500, "Internal error; the service log has the details", null);
    }
}
