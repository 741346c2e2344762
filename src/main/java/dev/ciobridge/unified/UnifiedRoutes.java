package dev.ciobridge.unified;

import java.time.Duration;

import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.api.AdminAuth;
import dev.ciobridge.api.ApiErrorHandling;
import dev.ciobridge.app.ServiceSecrets;
import dev.ciobridge.app.Settings;

/**
 * The unified marketing automation API under {@code /unified/marketing-automation/}, behind the admin token, and the
 * periodic purge of expired idempotency keys.
 */
public class UnifiedRoutes extends RouteBuilder {

    public static final String COLLECTION_ROUTE = "unified-collection";
    public static final String ITEM_ROUTE = "unified-item";
    public static final String SUBRESOURCE_ROUTE = "unified-subresource";
    public static final String PURGE_ROUTE = "idempotency-key-purge";
    static final String BASE = "/unified/marketing-automation";

    private static final Logger LOG = LoggerFactory.getLogger(UnifiedRoutes.class);

    /**
     * The routes take every method, so that {@link UnifiedApi} rejects a method a resource lacks with 405 and an
     * {@code Allow} header, and an unknown subresource with 404.
     */
    @Override
    public void configure() {
        UnifiedApi api = getContext().getRegistry().lookupByNameAndType("unifiedApi", UnifiedApi.class);
        IdempotencyStore idempotency = getContext().getRegistry().lookupByNameAndType("idempotencyStore", IdempotencyStore.class);
        AdminAuth auth = new AdminAuth(getContext().getRegistry().lookupByNameAndType("serviceSecrets", ServiceSecrets.class));

        from("platform-http:" + BASE + "/{resource}")
                .routeId(COLLECTION_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(auth)
                .process(api::handle);

        from("platform-http:" + BASE + "/{resource}/{id}")
                .routeId(ITEM_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(auth)
                .process(api::handle);

        from("platform-http:" + BASE + "/{resource}/{id}/{subresource}")
                .routeId(SUBRESOURCE_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(auth)
                .process(api::handle);

        long purgeMillis = new Settings(getContext())
                .duration("cio-bridge.unified.idempotency-purge-interval", Duration.ofHours(1)).toMillis();
        from("timer:idempotency-key-purge?delay=" + purgeMillis + "&period=" + purgeMillis)
                .routeId(PURGE_ROUTE)
                .process(exchange -> {
                    int purged = idempotency.purgeExpired();
                    if (purged > 0) {
                        LOG.info("Purged {} idempotency keys older than {}", purged, idempotency.retention());
                    }
                });
    }
}
