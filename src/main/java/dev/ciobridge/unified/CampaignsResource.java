package dev.ciobridge.unified;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.customerio.ApiSurface;

/** Campaigns, read-only: the list, and one campaign with its metrics. */
final class CampaignsResource extends ResourceHandler {

    CampaignsResource(CustomerIoCalls calls) {
        super(calls, "campaigns", Set.of("GET"), Set.of("GET"));
    }

    @Override
    ListPage list(UnifiedRequest request, ListWindow window) {
        JsonNode answer = calls.get(request, ApiSurface.APP, "/v1/campaigns");
        return RemoteLists.wholeList(answer.path("campaigns"), "id", window, campaign -> map(campaign, null));
    }

    /**
     * Returns the campaign with {@code metrics}: each metric's total over the series Customer.io returns for
     * {@code GET /v1/campaigns/{id}/metrics?version=2&res=days}.
     */
    @Override
    Object get(UnifiedRequest request) {
        long id = numericId(request, "campaign");
        JsonNode campaign = calls.get(request, ApiSurface.APP, "/v1/campaigns/" + id).path("campaign");
        // NOTE: the period is Customer.io's default for res=days; the totals cover only that period, not the campaign's
        // whole life.
        JsonNode metrics = calls.get(request, ApiSurface.APP, "/v1/campaigns/" + id + "/metrics?version=2&res=days");
        return map(campaign, metrics);
    }

    static Map<String, Object> map(JsonNode campaign, JsonNode metrics) {
        if (!campaign.isObject()) {
            throw new ApiException(502, "Customer.io returned a campaign that is not an object");
        }
        Map<String, Object> unified = UnifiedFields.object(UnifiedFields.text(campaign.get("id")));
        unified.put("name", UnifiedFields.text(campaign.get("name")));
        unified.put("description", UnifiedFields.text(campaign.get("description")));
        unified.put("status", UnifiedFields.text(campaign.get("state")));
        unified.put("active", campaign.path("active").isBoolean() ? campaign.get("active").asBoolean() : null);
        unified.put("tags", campaign.path("tags").isArray() ? campaign.get("tags") : java.util.List.of());
        unified.put("created_at", UnifiedFields.iso(campaign.get("created")));
        unified.put("updated_at", UnifiedFields.iso(campaign.get("updated")));
        if (metrics != null) {
            unified.put("metrics", totals(metrics));
        }
        Map<String, Object> remote = new LinkedHashMap<>();
        remote.put("campaign", campaign);
        if (metrics != null) {
            remote.put("metrics", metrics);
        }
        unified.put("remote_data", metrics == null ? campaign : remote);
        return unified;
    }

    /** Sums each series of {@code metric.series}; a metric without a numeric series is left out. */
    static Map<String, Long> totals(JsonNode metrics) {
        Map<String, Long> totals = new LinkedHashMap<>();
        JsonNode series = metrics.path("metric").path("series");
        Iterator<Map.Entry<String, JsonNode>> fields = series.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isArray()) {
                long total = 0;
                for (JsonNode value : field.getValue()) {
                    total += value.asLong(0);
                }
                totals.put(field.getKey(), total);
            }
        }
        return totals;
    }
}
