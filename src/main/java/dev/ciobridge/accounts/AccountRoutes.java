package dev.ciobridge.accounts;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import dev.ciobridge.api.AdminAuth;
import dev.ciobridge.api.ApiErrorHandling;
import dev.ciobridge.api.HttpReplies;
import dev.ciobridge.app.ServiceSecrets;

/** The admin API for integrated accounts: create, list, read and delete. */
public class AccountRoutes extends RouteBuilder {

    public static final String COLLECTION_ROUTE = "integrated-accounts";
    public static final String ITEM_ROUTE = "integrated-account";
    public static final String SANDBOX_PERSON_ROUTE = "sandbox-person";
    public static final String SANDBOX_FAULTS_ROUTE = "sandbox-faults";

    @Override
    public void configure() {
        AccountService service = getContext().getRegistry().lookupByNameAndType("accountService", AccountService.class);
        AdminAuth auth = new AdminAuth(getContext().getRegistry().lookupByNameAndType("serviceSecrets", ServiceSecrets.class));

        from("platform-http:/integrated-accounts?httpMethodRestrict=GET,POST")
                .routeId(COLLECTION_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(auth)
                .process(exchange -> {
                    if ("POST".equals(exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class))) {
                        HttpReplies.json(exchange, 201, service.create(exchange.getIn().getBody(byte[].class)));
                    } else {
                        HttpReplies.json(exchange, 200, java.util.Map.of("result", service.list()));
                    }
                });

        from("platform-http:/integrated-accounts/{accountId}?httpMethodRestrict=GET,DELETE")
                .routeId(ITEM_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(auth)
                .process(exchange -> {
                    String id = exchange.getIn().getHeader("accountId", String.class);
                    if ("DELETE".equals(exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class))) {
                        HttpReplies.json(exchange, 200, service.delete(id));
                    } else {
                        HttpReplies.json(exchange, 200, service.get(id));
                    }
                });

        // Reads back what the simulator holds for one person of a sandbox account.
        from("platform-http:/integrated-accounts/{accountId}/sandbox/people/{identifier}?httpMethodRestrict=GET")
                .routeId(SANDBOX_PERSON_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(auth)
                .process(exchange -> HttpReplies.json(exchange, 200, service.sandboxPerson(
                        exchange.getIn().getHeader("accountId", String.class),
                        exchange.getIn().getHeader("identifier", String.class))));

        // Makes the simulator behind a sandbox account misbehave, to see retries and dead letters at work.
        from("platform-http:/integrated-accounts/{accountId}/sandbox/faults?httpMethodRestrict=PUT")
                .routeId(SANDBOX_FAULTS_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(auth)
                .process(exchange -> HttpReplies.json(exchange, 200, service.sandboxFaults(
                        exchange.getIn().getHeader("accountId", String.class), exchange.getIn().getBody(byte[].class))));
    }
}
