package dev.ciobridge.outbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import dev.ciobridge.api.AdminAuth;
import dev.ciobridge.api.ApiErrorHandling;
import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.HttpReplies;
import dev.ciobridge.app.ServiceSecrets;

/**
 * The admin API for dead letters: {@code GET /dead-letters} lists them (filter {@code account_id}, paging with
 * {@code limit} and the {@code next_cursor} of the previous page), {@code POST /dead-letters/{id}/replay} puts one
 * back into the outbox with a fresh retry budget. Its event keeps its ULID, so a replay never duplicates at Customer.io.
 */
public class DeadLetterRoutes extends RouteBuilder {

    public static final String LIST_ROUTE = "dead-letters";
    public static final String REPLAY_ROUTE = "dead-letter-replay";

    private static final int MAX_LIMIT = 500;

    @Override
    public void configure() {
        OutboxStore store = getContext().getRegistry().lookupByNameAndType("outboxStore", OutboxStore.class);
        OutboxDispatcher dispatcher = getContext().getRegistry().lookupByNameAndType("outboxDispatcher", OutboxDispatcher.class);
        AdminAuth auth = new AdminAuth(getContext().getRegistry().lookupByNameAndType("serviceSecrets", ServiceSecrets.class));

        from("platform-http:/dead-letters?httpMethodRestrict=GET")
                .routeId(LIST_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(auth)
                .process(exchange -> {
                    int limit = intParameter(exchange, "limit", 100);
                    if (limit < 1 || limit > MAX_LIMIT) {
                        throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
                    }
                    long after = cursor(exchange.getIn().getHeader("next_cursor", String.class));
                    String account = exchange.getIn().getHeader("account_id", String.class);
                    List<Map<String, Object>> page = store.listDeadLetters(account, after, limit);
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("result", page);
                    body.put("next_cursor", page.size() < limit ? null : String.valueOf(page.get(page.size() - 1).get("id")));
                    body.put("result_count", page.size());
                    HttpReplies.json(exchange, 200, body);
                });

        from("platform-http:/dead-letters/{deadLetterId}/replay?httpMethodRestrict=POST")
                .routeId(REPLAY_ROUTE)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(auth)
                .process(exchange -> {
                    String text = exchange.getIn().getHeader("deadLetterId", String.class);
                    long id = cursor(text);
                    if (!store.replay(id)) {
                        throw ApiException.notFound("No dead letter with id '" + text + "'");
                    }
                    dispatcher.wakeUp();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("id", id);
                    body.put("status", "queued");
                    HttpReplies.json(exchange, 202, body);
                });
    }

    private static int intParameter(Exchange exchange, String name, int defaultValue) {
        String text = exchange.getIn().getHeader(name, String.class);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer, got '" + text + "'");
        }
    }

    private static long cursor(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Invalid dead letter id or cursor '" + text + "'");
        }
    }
}
