package dev.ciobridge.unified;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.accounts.AccountStore;
import dev.ciobridge.accounts.IntegratedAccount;
import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.HttpReplies;
import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.WorkspaceApi;

/**
 * Serves {@code /unified/marketing-automation/{resource}[/{id}[/{subresource}]]}: finds the resource and the account
 * named by {@code integrated_account_id}, checks the method, pages lists with signed cursors, and applies
 * {@code Idempotency-Key} to POST and PATCH.
 */
public final class UnifiedApi {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 5000;
    static final String ACCOUNT_PARAMETER = "integrated_account_id";
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final int MAX_IDEMPOTENCY_KEY_CHARS = 255;
    private static final Set<String> LIST_PARAMETERS = Set.of(ACCOUNT_PARAMETER, "limit", "next_cursor");

    private static final Logger LOG = LoggerFactory.getLogger(UnifiedApi.class);

    private final AccountStore accounts;
    private final UnifiedCursor cursors;
    private final IdempotencyStore idempotency;
    private final Map<String, ResourceHandler> resources = new LinkedHashMap<>();

    public UnifiedApi(AccountStore accounts, WorkspaceApi workspaceApi, UnifiedCursor cursors, IdempotencyStore idempotency) {
        this.accounts = accounts;
        this.cursors = cursors;
        this.idempotency = idempotency;
        CustomerIoCalls calls = new CustomerIoCalls(workspaceApi);
        for (ResourceHandler resource : List.of(new ContactsResource(calls), new SegmentsResource(calls),
                new CampaignsResource(calls), new MessagesResource(calls), new TemplatesResource(calls),
                new UsersResource(calls), new WorkspacesResource(calls), new EventsResource(calls))) {
            resources.put(resource.name(), resource);
        }
    }

    /** Handles one HTTP exchange whose path parameters {@code resource}, {@code id} and {@code subresource} are set. */
    public void handle(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String resourceName = in.getHeader("resource", String.class);
        String id = in.getHeader("id", String.class);
        String subresource = in.getHeader("subresource", String.class);
        ResourceHandler resource = resources.get(resourceName);
        if (resource == null) {
            throw ApiException.notFound("Unknown resource '" + resourceName + "'; the unified API has " + resources.keySet());
        }
        Set<String> allowed = subresource != null ? resource.subresourceMethods(subresource)
                : id != null ? resource.itemMethods() : resource.collectionMethods();
        if (allowed.isEmpty()) {
            throw ApiException.notFound("No resource at " + in.getHeader(Exchange.HTTP_PATH, String.class)
                    + "; the unified API has " + resources.keySet());
        }
        if (!allowed.contains(method)) {
            throw new ApiException(405, "Method " + method + " is not allowed on " + describe(resourceName, id, subresource)
                    + "; allowed: " + new TreeSet<>(allowed)).withHeader("Allow", String.join(", ", new TreeSet<>(allowed)));
        }
        QueryParameters query = QueryParameters.parse(in.getHeader(Exchange.HTTP_QUERY, String.class));
        IntegratedAccount account = account(query.get(ACCOUNT_PARAMETER));
        UnifiedRequest request = new UnifiedRequest(account, method, resourceName, id, subresource, query,
                in.getBody(byte[].class), status -> exchange.setProperty(HttpReplies.RATE_LIMIT_PROPERTY, status));

        String key = in.getHeader(IDEMPOTENCY_HEADER, String.class);
        UnifiedReply reply;
        if (key != null && (method.equals("POST") || method.equals("PATCH"))) {
            reply = idempotent(exchange, request, key, () -> dispatch(resource, request));
            if (reply == null) {
                return;
            }
        } else {
            reply = dispatch(resource, request);
        }
        HttpReplies.json(exchange, reply.status(), reply.body());
    }

    private UnifiedReply dispatch(ResourceHandler resource, UnifiedRequest request) {
        if (request.subresource != null) {
            request.query.rejectUnknown(Set.of(ACCOUNT_PARAMETER));
            return resource.subresource(request);
        }
        if (request.id == null) {
            if (request.method.equals("GET")) {
                return UnifiedReply.ok(list(resource, request));
            }
            request.query.rejectUnknown(Set.of(ACCOUNT_PARAMETER));
            return UnifiedReply.created(resource.create(request));
        }
        Set<String> parameters = new java.util.HashSet<>(resource.itemParameters());
        parameters.add(ACCOUNT_PARAMETER);
        request.query.rejectUnknown(parameters);
        return switch (request.method) {
            case "GET" -> UnifiedReply.ok(resource.get(request));
            case "PATCH" -> UnifiedReply.ok(resource.update(request));
            case "DELETE" -> UnifiedReply.ok(resource.delete(request));
            default -> throw new IllegalStateException("unexpected method " + request.method);
        };
    }

    private Map<String, Object> list(ResourceHandler resource, UnifiedRequest request) {
        Set<String> accepted = new java.util.HashSet<>(LIST_PARAMETERS);
        accepted.addAll(resource.listFilters());
        request.query.rejectUnknown(accepted);
        int limit = limit(request.query.get("limit"));
        String filter = UnifiedCursor.filterDigest(request.query.canonical(resource.listFilters()));
        String cursor = request.query.get("next_cursor");
        long now = System.currentTimeMillis();
        String start = cursor == null ? null
                : cursors.decode(cursor, request.account.id(), resource.name(), filter, now).start();
        ListPage page = resource.list(request, new ListWindow(limit, start));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", page.items());
        body.put("next_cursor", page.nextStart() == null ? null
                : cursors.encode(new UnifiedCursor.Position(request.account.id(), resource.name(), filter, page.nextStart(), now)));
        body.put("result_count", page.items().size());
        return body;
    }

    /**
     * Runs a POST or PATCH once per key and account while the key is retained: a repeat gets the stored status and
     * body without calling Customer.io. The key is freed for a retry only when the request provably did not reach
     * Customer.io. Returns null when the stored response was written to the exchange.
     */
    private UnifiedReply idempotent(Exchange exchange, UnifiedRequest request, String key,
            java.util.function.Supplier<UnifiedReply> action) throws Exception {
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_CHARS || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw ApiException.badRequest("Header Idempotency-Key must be 1 to " + MAX_IDEMPOTENCY_KEY_CHARS
                    + " printable ASCII characters without spaces");
        }

        String accountId = request.account.id();
        IdempotencyStore.StoredResponse stored = idempotency.begin(accountId, key, requestHash(exchange));
        if (stored != null) {
            LOG.debug("Idempotency-Key repeated on account {}: the stored {} response is sent again", accountId, stored.status());
            HttpReplies.json(exchange, stored.status(), Json.MAPPER.readTree(stored.body()));
            exchange.getMessage().setHeader("Idempotent-Replayed", "true");
            return null;
        }

        UnifiedReply reply;
        try {
            reply = action.get();
        } catch (ApiException e) {
            if (reachedNoCustomerIo(e)) {
                idempotency.release(accountId, key);
            } else {
                idempotency.complete(accountId, key, e.status(), Json.write(errorBody(e)));
            }
            throw e;
        } catch (RuntimeException e) {
            // The failure may have come after Customer.io accepted the request, so the key stays claimed.
            idempotency.complete(accountId, key, 500, Json.write(Map.of("statusCode", 500, "error",
                    HttpReplies.reasonPhrase(500), "message", "Internal error; the service log has the details")));
            throw e;
        }
        idempotency.complete(accountId, key, reply.status(), Json.write(reply.body()));
        return reply;
    }

    /**
     * Returns whether an error proves the request never reached Customer.io, so that a retry with the same key may
     * run: the local rate-limit queue was full (429), or the service was stopping (503).
     */
    private static boolean reachedNoCustomerIo(ApiException error) {
        return !error.fields().containsKey("remote_error") && (error.status() == 429 || error.status() == 503);
    }

    /** Builds the body the error route configuration writes for an {@link ApiException}, to store it. */
    private static Map<String, Object> errorBody(ApiException error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", error.status());
        body.put("error", HttpReplies.reasonPhrase(error.status()));
        body.put("message", error.getMessage());
        if (error.details() != null) {
            body.put("details", error.details());
        }
        body.putAll(error.fields());
        return body;
    }

    /** SHA-256 over the method, path, canonical query and body, so that a key reused for another request is detected. */
    private static String requestHash(Exchange exchange) {
        Message in = exchange.getIn();
        QueryParameters query = QueryParameters.parse(in.getHeader(Exchange.HTTP_QUERY, String.class));
        StringBuilder head = new StringBuilder();
        head.append(in.getHeader(Exchange.HTTP_METHOD, String.class)).append('\n')
                .append(in.getHeader(Exchange.HTTP_PATH, String.class)).append('\n')
                .append(query.canonical(query.asMap().keySet())).append('\n');
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(head.toString().getBytes(StandardCharsets.UTF_8));
            byte[] body = in.getBody(byte[].class);
            if (body != null) {
                digest.update(body);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private IntegratedAccount account(String id) {
        if (id == null) {
            throw ApiException.badRequest("Missing query parameter '" + ACCOUNT_PARAMETER
                    + "': name the integrated account (acc_...) whose workspace to use");
        }
        return accounts.find(id).orElseThrow(() -> ApiException.notFound("Unknown " + ACCOUNT_PARAMETER + " '" + id
                + "': no integrated account has this id"));
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw ApiException.badRequest("Query parameter 'limit' must be an integer from 1 to " + MAX_LIMIT + ", got '" + text + "'");
    }

    private static String describe(String resource, String id, String subresource) {
        String path = "/unified/marketing-automation/" + resource;
        if (id != null) {
            path += "/{id}";
        }
        if (subresource != null) {
            path += "/" + subresource;
        }
        return path;
    }
}
