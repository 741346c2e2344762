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
import dev.ciobridge.sandbox.EmbeddedSandbox;
import dev.ciobridge.sandbox.SandboxWorkspace;
import dev.ciobridge.sandbox.WorkspaceCredentials;
import dev.ciobridge.sandbox.WorkspaceSpec;

/** Creates, lists and deletes integrated accounts, checking Track credentials with Customer.io before storing them. */
public final class AccountService {

    /** Webhook sources an account can hold a signing secret for. */
    public static final Set<String> WEBHOOK_SOURCES = Set.of("stripe", "events");

    private static final Set<String> FIELDS =
            Set.of("name", "region", "site_id", "track_api_key", "app_api_key", "pipelines_api_key", "webhook_secrets",
            "sandbox");
    private static final Set<String> CREDENTIAL_FIELDS = Set.of("site_id", "track_api_key", "app_api_key", "pipelines_api_key");
    private static final Set<String> SANDBOX_FIELDS = Set.of("seed", "people", "deliveries");
    private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);

    private final AccountStore store;
    private final CustomerIoClient customerIo;
    private final TrackRateLimiters rateLimiters;
    private final EmbeddedSandbox sandbox;

    public AccountService(AccountStore store, CustomerIoClient customerIo, TrackRateLimiters rateLimiters,
                          EmbeddedSandbox sandbox) {
        this.store = store;
        this.customerIo = customerIo;
        this.rateLimiters = rateLimiters;
        this.sandbox = sandbox;
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
                ApiException.badRequest("region must be 'us', 'eu' or 'sandbox', got '" + regionCode + "'"));
        Map<String, String> webhookSecrets = webhookSecrets(request.get("webhook_secrets"));
        if (region.isSandbox()) {
            return createSandbox(request, name, webhookSecrets);
        }
        if (request.has("sandbox")) {
            throw ApiException.badRequest("Field 'sandbox' applies only to accounts with region 'sandbox'");
        }
        String siteId = requiredText(request, "site_id", 200);
        String trackApiKey = requiredText(request, "track_api_key", 500);
        String appApiKey = optionalText(request, "app_api_key", 500);
        String pipelinesApiKey = optionalText(request, "pipelines_api_key", 500);

        Long environmentId = checkTrackCredentials(region, new TrackCredentials(siteId, trackApiKey));

        return insert(name, region, siteId, environmentId, trackApiKey, appApiKey, pipelinesApiKey, webhookSecrets, null);
    }

    /**
     * Creates an account on a new workspace of the embedded simulator: no Customer.io credentials are taken, the
     * simulator's are generated and stored like real ones. {@code sandbox} may set the seed and size of its data.
     */
    private Map<String, Object> createSandbox(JsonNode request, String name, Map<String, String> webhookSecrets)
            throws SQLException, InterruptedException {
        for (String field : CREDENTIAL_FIELDS) {
            if (request.has(field)) {
                throw ApiException.badRequest("A sandbox account takes no Customer.io credentials; remove '" + field + "'");
            }
        }
        JsonNode options = request.path("sandbox");
        if (!options.isMissingNode() && !options.isNull() && !options.isObject()) {
            throw ApiException.badRequest("Field 'sandbox' must be an object such as {\"people\": 1000, \"deliveries\": 10000, \"seed\": 1}");
        }
        Iterator<String> names = options.fieldNames();
        while (names.hasNext()) {
            String option = names.next();
            if (!SANDBOX_FIELDS.contains(option)) {
                throw ApiException.badRequest("Unknown field 'sandbox." + option + "'; accepted fields are " + SANDBOX_FIELDS.stream().sorted().toList());
            }
        }
        long seed = longOption(options, "seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        int people = (int) longOption(options, "people", 100, 0, WorkspaceSpec.MAX_PEOPLE);
        int deliveries = (int) longOption(options, "deliveries", 1000, 0, WorkspaceSpec.MAX_DELIVERIES);
        SandboxWorkspace workspace = sandbox.workspace(
                WorkspaceSpec.defaults().withName(name).withSeed(seed).withData(people, deliveries));
        WorkspaceCredentials credentials = workspace.credentials();
        checkTrackCredentials(Region.SANDBOX, new TrackCredentials(credentials.siteId(), credentials.trackApiKey()));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("seed", seed);
        settings.put("people", people);
        settings.put("deliveries", deliveries);
        return insert(name, Region.SANDBOX, credentials.siteId(), credentials.environmentId(), credentials.trackApiKey(),
                credentials.appApiKey(), credentials.pipelinesKey(), webhookSecrets, settings);
    }

    private Map<String, Object> insert(String name, Region region, String siteId, Long environmentId, String trackApiKey,
                                       String appApiKey, String pipelinesApiKey, Map<String, String> webhookSecrets,
                                       Map<String, Object> sandboxSettings)
            throws SQLException {
        String id = "acc_" + Ulid.random().toLowerCase();
        Map<String, Object> masked = masked(trackApiKey, appApiKey, pipelinesApiKey, webhookSecrets);
        if (sandboxSettings != null) {
            masked.put(AccountView.SANDBOX_SETTINGS, sandboxSettings);
        }
        IntegratedAccount account = new IntegratedAccount(id, name, region, siteId, environmentId, trackApiKey,
                appApiKey, pipelinesApiKey, webhookSecrets, masked, System.currentTimeMillis());
        store.insert(account);
        LOG.info("Created integrated account {} ({}, region {}, site id {})", id, name, region.code(), siteId);
        return AccountView.of(account);
    }

    /**
     * Registers every stored sandbox account's workspace with the simulator again, with its credentials and seed, so
     * that deliveries queued before a restart still reach it.
     */
    public void restoreSandboxWorkspaces() {
        for (IntegratedAccount account : store.list()) {
            if (account.region().isSandbox()) {
                sandbox.workspace(sandboxSpec(account));
                LOG.info("Restored sandbox workspace of account {} (site id {})", account.id(), account.siteId());
            }
        }
    }

    /** Returns the simulator's record of one person of a sandbox account: attributes and events, for a first look. */
    public Map<String, Object> sandboxPerson(String accountId, String identifier) {
        IntegratedAccount account = store.find(accountId).orElseThrow(() -> notFound(accountId));
        if (!account.region().isSandbox()) {
            throw new ApiException(409, "Account " + accountId + " is not a sandbox account; its people live in Customer.io");
        }
        SandboxWorkspace workspace = sandbox.workspace(sandboxSpec(account));
        return workspace.person(identifier).map(SandboxPeople::view).orElseThrow(() -> ApiException.notFound(
                "No person '" + identifier + "' in the sandbox workspace of " + accountId
                        + " (an email finds by email, cio_<id> by cio_id, anything else by id)"));
    }

    /** Sets the faults the simulator injects for a sandbox account (latency, 5xx share, 429 storms, dropped connections). */
    public Object sandboxFaults(String accountId, byte[] body) {
        IntegratedAccount account = store.find(accountId).orElseThrow(() -> notFound(accountId));
        if (!account.region().isSandbox()) {
            throw new ApiException(409, "Account " + accountId + " is not a sandbox account; faults apply to sandbox accounts only");
        }
        SandboxWorkspace workspace = sandbox.workspace(sandboxSpec(account));
        try {
            workspace.setFaults(dev.ciobridge.sandbox.FaultSettingsJson.read(Json.parseBody(body)));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid sandbox faults: " + e.getMessage());
        }
        LOG.info("Sandbox faults of account {} set to {}", accountId, workspace.faults());
        return dev.ciobridge.sandbox.FaultSettingsJson.write(workspace.faults());
    }

    private static WorkspaceSpec sandboxSpec(IntegratedAccount account) {
        Object raw = account.masked().get(AccountView.SANDBOX_SETTINGS);
        Map<?, ?> settings = raw instanceof Map<?, ?> map ? map : Map.of();
        long seed = settings.get("seed") instanceof Number number ? number.longValue() : 1;
        int people = settings.get("people") instanceof Number number ? number.intValue() : 0;
        int deliveries = settings.get("deliveries") instanceof Number number ? number.intValue() : 0;
        return WorkspaceSpec.defaults().withName(account.name()).withSeed(seed).withData(people, deliveries)
                .withCredentials(account.siteId(), account.trackApiKey(), account.appApiKey(), account.pipelinesApiKey());
    }

    private static long longOption(JsonNode options, String field, long defaultValue, long min, long max) {
        JsonNode node = options.get(field);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
            throw ApiException.badRequest("sandbox." + field + " must be an integer");
        }
        long value = node.asLong();
        if (value < min || value > max) {
            throw ApiException.badRequest("sandbox." + field + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public List<Map<String, Object>> list() {
        return store.list().stream().map(AccountView::of).toList();
    }

    public Map<String, Object> get(String id) {
        return AccountView.of(store.find(id).orElseThrow(() -> notFound(id)));
    }

    public Map<String, Object> delete(String id) throws SQLException {
        java.util.Optional<IntegratedAccount> account = store.find(id);
        int droppedPending = store.delete(id);
        if (droppedPending < 0) {
            throw notFound(id);
        }
        rateLimiters.forget(id);
        account.filter(found -> found.region().isSandbox()).ifPresent(found -> sandbox.remove(found.siteId()));
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
            throw new ApiException(504, "Customer.io did not respond to the credential check in time ("
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
            throw new ApiException(502, "Customer.io responded to the credential check with a body that is not JSON");
        }
        String reported = answer == null ? "" : answer.path("region").asText("");
        if (!region.isSandbox() && !reported.equalsIgnoreCase(region.code())) {
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
            String secret = entry.getValue().asText().trim();
            if (source.equals("events") && secret.startsWith("whsec_") && !isBase64(secret.substring(6))) {
                throw ApiException.badRequest("webhook_secrets.events must be 'whsec_' followed by the base64 of the key "
                        + "(Standard Webhooks), or a plain secret without that prefix");
            }
            secrets.put(source, secret);
        }
        return secrets;
    }

    private static boolean isBase64(String text) {
        try {
            return !text.isEmpty() && java.util.Base64.getDecoder().decode(text).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Map<String, Object> masked(String trackApiKey, String appApiKey, String pipelinesApiKey,
                                              Map<String, String> webhookSecrets) {
        Map<String, Object> masked = new LinkedHashMap<>();
        masked.put("track_api_key", mask(trackApiKey));
        masked.put("app_api_key", appApiKey == null ? null : mask(appApiKey));
        masked.put("pipelines_api_key", pipelinesApiKey == null ? null : mask(pipelinesApiKey));
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
