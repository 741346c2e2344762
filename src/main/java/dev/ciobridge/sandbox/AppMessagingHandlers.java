package dev.ciobridge.sandbox;

import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.http.HttpMethod;

/**
 * App API reads of the messaging setup and deliveries: campaigns, deliveries ({@code /v1/messages}), newsletters,
 * transactional templates, sender identities and the workspace itself.
 */
final class AppMessagingHandlers {

    static final int MESSAGES_DEFAULT_LIMIT = 50;
    static final int MESSAGES_MAX_LIMIT = 1000;
    // NOTE: the maximum page sizes of newsletters and sender identities are not documented; 100 is assumed.
    static final int NEWSLETTERS_DEFAULT_LIMIT = 10;
    static final int NEWSLETTERS_MAX_LIMIT = 100;
    static final int SENDERS_DEFAULT_LIMIT = 10;
    static final int SENDERS_MAX_LIMIT = 100;
    private static final Set<String> MESSAGE_TYPES =
            Set.of("email", "webhook", "twilio", "whatsapp", "slack", "push", "in_app", "live_notification");
    private static final Set<String> MESSAGE_METRICS = Set.of("attempted", "sent", "delivered", "opened", "clicked",
            "converted", "bounced", "spammed", "unsubscribed", "dropped", "failed", "undeliverable");

    boolean handle(SimExchange exchange) {
        if (exchange.matches(HttpMethod.GET, "v1", "campaigns")) {
            campaigns(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "campaigns", null)) {
            campaign(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "campaigns", null, "metrics")) {
            campaignMetrics(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "messages")) {
            messages(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "messages", null)) {
            message(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "newsletters")) {
            newsletters(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "newsletters", null)) {
            int id = pathId(exchange, Catalog.NEWSLETTERS, "newsletter");
            exchange.replyJson(200, SandboxJson.object().set("newsletter", exchange.workspace.catalog.newsletter(id)));
        } else if (exchange.matches(HttpMethod.GET, "v1", "transactional")) {
            templates(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "transactional", null)) {
            int id = pathId(exchange, Catalog.TEMPLATES.size(), "transactional message");
            exchange.replyJson(200, SandboxJson.object().set("message", exchange.workspace.catalog.template(id)));
        } else if (exchange.matches(HttpMethod.GET, "v1", "transactional", null, "contents")) {
            int id = pathId(exchange, Catalog.TEMPLATES.size(), "transactional message");
            exchange.replyJson(200, exchange.workspace.catalog.templateContents(id));
        } else if (exchange.matches(HttpMethod.GET, "v1", "sender_identities")) {
            senderIdentities(exchange);
        } else if (exchange.matches(HttpMethod.GET, "v1", "workspaces")) {
            workspaces(exchange);
        } else {
            return false;
        }
        return true;
    }

    /** Reads path segment 2 as an id from 1 to {@code count}, or responds with 404 naming the {@code kind}. */
    private static int pathId(SimExchange exchange, int count, String kind) {
        try {
            int id = Integer.parseInt(exchange.segments[2]);
            if (id >= 1 && id <= count) {
                return id;
            }
        } catch (NumberFormatException e) {
            throw ApiError.app(400, kind + " id must be an integer, was '" + exchange.segments[2] + "'");
        }
        throw ApiError.app(404, kind + " with id " + exchange.segments[2] + " does not exist");
    }

    static long longParameter(SimExchange exchange, String name, long fallback) {
        String text = exchange.query(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiError.app(400, name + " must be an integer, was '" + text + "'");
        }
    }

    private void campaigns(SimExchange exchange) {
        ObjectNode answer = SandboxJson.object();
        ArrayNode campaigns = answer.putArray("campaigns");
        for (int id = 1; id <= Catalog.CAMPAIGNS; id++) {
            campaigns.add(exchange.workspace.catalog.campaign(id));
        }
        exchange.replyJson(200, answer);
    }

    private void campaign(SimExchange exchange) {
        int id = pathId(exchange, Catalog.CAMPAIGNS, "campaign");
        exchange.replyJson(200, SandboxJson.object().set("campaign", exchange.workspace.catalog.campaign(id)));
    }

    /**
     * Returns the campaign's metric totals over the whole seeded history as one-bucket series.
     * NOTE: the period, steps and res parameters are ignored; every series holds a single total.
     */
    private void campaignMetrics(SimExchange exchange) {
        int id = pathId(exchange, Catalog.CAMPAIGNS, "campaign");
        long[] totals;
        synchronized (exchange.workspace) {
            totals = exchange.workspace.deliveries.campaignTotals(id);
        }
        ObjectNode answer = SandboxJson.object();
        ObjectNode series = answer.putObject("metric").putObject("series");
        for (int metric = 0; metric < DeliveryStore.METRICS.length; metric++) {
            series.putArray(DeliveryStore.METRICS[metric]).add(totals[metric]);
        }
        exchange.replyJson(200, answer);
    }

    /**
     * Lists deliveries newest first. The cursor is the index below which the next page starts, so deliveries
     * recorded meanwhile do not shift later pages.
     */
    private void messages(SimExchange exchange) {
        Page page = Page.parse(exchange, MESSAGES_DEFAULT_LIMIT, MESSAGES_MAX_LIMIT);
        String type = exchange.query("type");
        String metric = exchange.query("metric");
        if (type != null && !MESSAGE_TYPES.contains(type)) {
            throw ApiError.app(400, "type must be one of " + MESSAGE_TYPES + ", was '" + type + "'");
        }
        if (metric != null && !MESSAGE_METRICS.contains(metric)) {
            throw ApiError.app(400, "metric must be one of " + MESSAGE_METRICS + ", was '" + metric + "'");
        }
        long campaignId = longParameter(exchange, "campaign_id", 0);
        long newsletterId = longParameter(exchange, "newsletter_id", 0);
        long startTs = longParameter(exchange, "start_ts", Long.MIN_VALUE);
        long endTs = longParameter(exchange, "end_ts", Long.MAX_VALUE);
        SandboxWorkspace workspace = exchange.workspace;
        DeliveryStore deliveries = workspace.deliveries;
        ObjectNode answer = SandboxJson.object();
        synchronized (workspace) {
            // Seeded creation times grow with the index, so the time window becomes an index range.
            int seededLow = startTs == Long.MIN_VALUE ? 0 : deliveries.firstSeededAtOrAfter(startTs);
            int seededHigh = endTs == Long.MAX_VALUE ? deliveries.seededCount() : deliveries.firstSeededAtOrAfter(endTs + 1);
            int index = (page.position() < 0 ? deliveries.count() : Math.min(page.position(), deliveries.count())) - 1;
            ArrayNode messages = answer.putArray("messages");
            int found = 0;
            while (index >= 0 && found < page.limit()) {
                if (index < deliveries.seededCount()) {
                    if (index >= seededHigh) {
                        index = seededHigh - 1;
                        continue;
                    }
                    if (index < seededLow) {
                        index = -1;
                        break;
                    }
                }
                if (matches(deliveries, index, type, metric, campaignId, newsletterId, startTs, endTs)) {
                    messages.add(deliveries.toJson(index, workspace.people));
                    found++;
                }
                index--;
            }
            boolean more = index >= Math.min(seededLow, deliveries.seededCount()) && index >= 0;
            answer.put("next", found == page.limit() && more ? Page.encode(index + 1) : "");
        }
        exchange.replyJson(200, answer);
    }

    private static boolean matches(DeliveryStore deliveries, int index, String type, String metric, long campaignId,
            long newsletterId, long startTs, long endTs) {
        if (type != null && !type.equals(deliveries.type(index))) {
            return false;
        }
        if (campaignId != 0 && deliveries.campaignId(index) != campaignId) {
            return false;
        }
        if (newsletterId != 0 && deliveries.newsletterId(index) != newsletterId) {
            return false;
        }
        if (metric != null && deliveries.metricTime(index, metric) == 0) {
            return false;
        }
        long created = deliveries.created(index);
        return created >= startTs && created <= endTs;
    }

    private void message(SimExchange exchange) {
        ObjectNode answer = SandboxJson.object();
        synchronized (exchange.workspace) {
            String id = exchange.decodedSegment(2, message -> ApiError.app(400, message));
            int index = exchange.workspace.deliveries.indexOf(id);
            if (index < 0) {
                throw ApiError.app(404, "message with id " + id + " does not exist");
            }
            answer.set("message", exchange.workspace.deliveries.toJson(index, exchange.workspace.people));
        }
        exchange.replyJson(200, answer);
    }

    private void newsletters(SimExchange exchange) {
        Page page = Page.parse(exchange, NEWSLETTERS_DEFAULT_LIMIT, NEWSLETTERS_MAX_LIMIT);
        boolean descending = "desc".equals(exchange.query("sort"));
        ObjectNode answer = SandboxJson.object();
        ArrayNode newsletters = answer.putArray("newsletters");
        int position = Math.max(0, page.position());
        int end = Math.min(Catalog.NEWSLETTERS, position + page.limit());
        for (int i = position; i < end; i++) {
            newsletters.add(exchange.workspace.catalog.newsletter(descending ? Catalog.NEWSLETTERS - i : i + 1));
        }
        answer.put("next", end < Catalog.NEWSLETTERS ? Page.encode(end) : "");
        exchange.replyJson(200, answer);
    }

    private void templates(SimExchange exchange) {
        ObjectNode answer = SandboxJson.object();
        ArrayNode messages = answer.putArray("messages");
        for (int id = 1; id <= Catalog.TEMPLATES.size(); id++) {
            messages.add(exchange.workspace.catalog.template(id));
        }
        exchange.replyJson(200, answer);
    }

    private void senderIdentities(SimExchange exchange) {
        Page page = Page.parse(exchange, SENDERS_DEFAULT_LIMIT, SENDERS_MAX_LIMIT);
        boolean descending = "desc".equals(exchange.query("sort"));
        ObjectNode answer = SandboxJson.object();
        ArrayNode senders = answer.putArray("sender_identities");
        int position = Math.max(0, page.position());
        int end = Math.min(Catalog.SENDER_IDENTITIES, position + page.limit());
        for (int i = position; i < end; i++) {
            senders.add(exchange.workspace.catalog.senderIdentity(descending ? Catalog.SENDER_IDENTITIES - i : i + 1));
        }
        answer.put("next", end < Catalog.SENDER_IDENTITIES ? Page.encode(end) : "");
        exchange.replyJson(200, answer);
    }

    private void workspaces(SimExchange exchange) {
        SandboxWorkspace workspace = exchange.workspace;
        ObjectNode answer = SandboxJson.object();
        ObjectNode json = answer.putArray("workspaces").addObject();
        synchronized (workspace) {
            json.put("id", workspace.credentials().environmentId());
            json.put("name", workspace.name());
            json.put("messages_sent", workspace.deliveries.count());
            json.put("billable_messages_sent", workspace.deliveries.count());
            json.put("people", workspace.people.count());
            json.put("object_types", 1);
            json.put("objects", workspace.objects.size());
        }
        exchange.replyJson(200, answer);
    }
}
