package dev.ciobridge.accounts;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.CustomerIoClient;
import dev.ciobridge.customerio.CustomerIoErrors;
import dev.ciobridge.customerio.Region;
import dev.ciobridge.customerio.TrackCredentials;
import dev.ciobridge.customerio.TrackResponse;
import dev.ciobridge.customerio.TrackRateLimiters;
import dev.ciobridge.customerio.Ulid;

/** Creates, lists and deletes integrated accounts, checking Track credentials with Customer.io before storing them. */
public final class AccountService {

    /** Webhook sources an account can hold a signing secret for. */
    public static final Set<String> WEBHOOK_SOURCES = Set.of("stripe", "events", "customerio");

    private static final Set<String> FIELDS =
            Set.of("name", "region", "site_id", "track_api_key", "app_api_key", "webhook_secrets");
    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);

    private final AccountStore store;
    private final CustomerIoClient customerIo;
    private final TrackRateLimiters rateLimiters;

    public AccountService(AccountStore store, CustomerIoClient customerIo, TrackRateLimiters rateLimiters) {
        this.store = store;
        this.customerIo = customerIo;
        this.rateLimiters = rateLimiters;
    }

    public Map<String, Object> create(byte[] body) throws SQLException, InterruptedException {
        JsonNode request = Json.parseBody(body);
        if (!request.isObject()) {
            throw ApiException.badRequest("Request body must be a JSON object");
        }
        rejectUnknownFields(request);
        String name = requiredText(request, "name", 200);
        String regionCode = requiredText(request, "region", 16);
        Region region = Region.fromCode(regionCode).orElseThrow(() ->
                ApiException.badRequest("region must be 'us' or 'eu', got '" + regionCode + "'"));
        String siteId = requiredText(request, "site_id", 200);
        String trackApiKey = requiredText(request, "track_api_key", 500);
        String appApiKey = optionalText(request, "app_api_key", 500);
        Map<String, String> webhookSecrets = webhookSecrets(request.get("webhook_secrets"));

        Long environmentId = checkTrackCredentials(region, new TrackCredentials(siteId, trackApiKey));

        String id = "acc_" + Ulid.random().toLowerCase();
        IntegratedAccount account = new IntegratedAccount(id, name, region, siteId, environmentId, trackApiKey,
                appApiKey, webhookSecrets, masked(trackApiKey, appApiKey, webhookSecrets), System.currentTimeMillis());
        store.insert(account);
        LOG.info("Created integrated account {} ({}, region {}, site id {})", id, name, region.code(), siteId);
        return AccountView.of(account);
    }

    public List<Map<String, Object>> list() {
        return store.list().stream().map(AccountView::of).toList();
    }

    public Map<String, Object> get(String id) {
        return AccountView.of(store.find(id).orElseThrow(() -> notFound(id)));
    }

    public Map<String, Object> delete(String id) throws SQLException {
        int droppedPending = store.delete(id);
        if (droppedPending < 0) {
            throw notFound(id);
        }
        rateLimiters.forget(id);
        LOG.info("Deleted integrated account {}; {} pending deliveries dropped", id, droppedPending);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", id);
        result.put("deleted", true);
        result.put("dropped_pending_deliveries", droppedPending);
        return result;
    }

    /**
     * Calls {@code GET /api/v1/accounts/region} with the credentials: a 401 or 403 means they are wrong, and the region
     * Customer.io reports must equal the one requested. Returns the workspace's environment id.
     */
    private Long checkTrackCredentials(Region region, TrackCredentials credentials) throws InterruptedException {
        TrackResponse response;
        try {
            response = customerIo.track(region, credentials, "GET", "/api/v1/accounts/region", null);
        } catch (HttpTimeoutException e) {
            throw new ApiException(504, "Customer.io did not answer the credential check in time ("
                    + customerIo.trackBaseUrl(region) + "); try again");
        } catch (IOException e) {
            throw new ApiException(502, "Customer.io could not be reached for the credential check at "
                    + customerIo.trackBaseUrl(region) + ": " + e.getClass().getSimpleName());
        }
        if (response.status() == 401 || response.status() == 403) {
            throw new ApiException(422, "Customer.io rejected the Track API credentials (site_id and track_api_key) with "
                    + response.status() + "; check them under Settings > API credentials");
        }
        if (!response.isSuccess()) {
            int status = response.status() >= 500 || response.status() == 429 ? 502 : 422;
            throw new ApiException(status, "Credential check failed. " + CustomerIoErrors.describe(response.status(), response.body()));
        }
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new ApiException(502, "Customer.io answered the credential check with a body that is not JSON");
        }
        String reported = answer == null ? "" : answer.path("region").asText("");
        if (!reported.equalsIgnoreCase(region.code())) {
            throw new ApiException(422, "region is '" + region.code() + "' but Customer.io reports this workspace in region '"
                    + reported + "'; create the account with region '" + reported + "'");
        }
        JsonNode environment = answer.path("environment_id");
        return environment.canConvertToLong() ? environment.asLong() : null;
    }

    private static void rejectUnknownFields(JsonNode request) {
        Iterator<String> names = request.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw ApiException.badRequest("Unknown field '" + field + "'; accepted fields are " + FIELDS.stream().sorted().toList());
            }
        }
    }

    private static String requiredText(JsonNode request, String field, int maxLength) {
        String value = optionalText(request, field, maxLength);
        if (value == null) {
            throw ApiException.badRequest("Missing required field '" + field + "'");
        }
        return value;
    }

    private static String optionalText(JsonNode request, String field, int maxLength) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("Field '" + field + "' must be a string");
        }
        String value = node.asText().trim();
        if (value.isEmpty()) {
            throw ApiException.badRequest("Field '" + field + "' must not be empty");
        }
        if (value.length() > maxLength) {
            throw ApiException.badRequest("Field '" + field + "' is longer than " + maxLength + " characters");
        }
        return value;
    }

    private static Map<String, String> webhookSecrets(JsonNode node) {
        Map<String, String> secrets = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return secrets;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("Field 'webhook_secrets' must be an object such as {\"stripe\": \"whsec_...\"}");
        }
        Iterator<Map.Entry<String, JsonNode>> entries = node.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String source = entry.getKey();
            if (!WEBHOOK_SOURCES.contains(source)) {
                throw ApiException.badRequest("webhook_secrets." + source + " is not a known webhook source; use one of "
                        + WEBHOOK_SOURCES.stream().sorted().toList());
            }
            if (!entry.getValue().isTextual() || entry.getValue().asText().isBlank()) {
                throw ApiException.badRequest("webhook_secrets." + source + " must be a non-empty string");
            }
            secrets.put(source, entry.getValue().asText().trim());
        }
        return secrets;
    }

    private static Map<String, Object> masked(String trackApiKey, String appApiKey, Map<String, String> webhookSecrets) {
        Map<String, Object> masked = new LinkedHashMap<>();
        masked.put("track_api_key", mask(trackApiKey));
        masked.put("app_api_key", appApiKey == null ? null : mask(appApiKey));
        Map<String, String> secrets = new LinkedHashMap<>();
        webhookSecrets.forEach((source, secret) -> secrets.put(source, mask(secret)));
        masked.put("webhook_secrets", secrets);
        return masked;
    }

    /** Shows the last four characters of secrets long enough that four reveal little, and nothing of shorter ones. */
    static String mask(String secret) {
        return secret.length() >= 16 ? "****" + secret.substring(secret.length() - 4) : "****";
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("No integrated account with id '" + id + "'");
    }

    static String isoTime(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
