import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * A light stand-in for Customer.io's Track API, used by the benchmark to count delivered events.
 *
 * <p>Run it with {@code java bench/TrackStub.java PORT}; it listens on 127.0.0.1 only. It serves:
 * <ul>
 * <li>{@code GET /api/v1/accounts/region}: {@code {"region":"us","environment_id":1,"url":"..."}}, for the
 * credential check that runs when an integrated account is created;</li>
 * <li>{@code POST /api/v2/batch}: enforces the batch limits (whole request under 500 KB, each item under 32 KB).
 * It returns 400 with a Customer.io-style error list when a limit is broken, and 200 {@code {}} otherwise;</li>
 * <li>{@code POST /api/v2/entity}, {@code POST /api/v1/customers/{id}/events} and {@code PUT /api/v1/customers/{id}}:
 * single operations, each returned 200 {@code {}};</li>
 * <li>{@code GET /stats}: the counters below as JSON, for the harness.</li>
 * </ul>
 *
 * <p>Bodies are never parsed as a whole: a batch is split into items by a byte scanner that tracks string literals
 * and bracket depth, and an item counts as an event when it contains {@code "action":"event"}.
 */
public final class TrackStub {

    /** Largest v2 batch request: under 500 KB, the same bound as the service's TrackLimits.BATCH_BYTES. */
    static final int MAX_REQUEST_BYTES = 500 * 1024 - 1;
    /** Largest batch item or v2 entity: under 32 KB, the same bound as the service's TrackLimits.ENTITY_BYTES. */
    static final int MAX_ITEM_BYTES = 32 * 1024 - 1;

    private static final byte[] EVENT_MARKER = "\"action\":\"event\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BATCH_PREFIX = "{\"batch\":[".getBytes(StandardCharsets.US_ASCII);

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong batchRequests = new AtomicLong();
    private final AtomicLong singleRequests = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong otherOperations = new AtomicLong();
    private final AtomicLong violations = new AtomicLong();
    private final AtomicLong unknownPaths = new AtomicLong();
    private final AtomicLong bodyBytes = new AtomicLong();
    private final LongAccumulator maxRequestBytes = new LongAccumulator(Math::max, 0);
    private final LongAccumulator maxItemBytes = new LongAccumulator(Math::max, 0);
    private final LongAccumulator maxItems = new LongAccumulator(Math::max, 0);
    private final LongAccumulator firstRequestMillis = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator lastDeliveryMillis = new LongAccumulator(Math::max, 0);
    private volatile String lastViolation = "";

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java bench/TrackStub.java PORT");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        // Without TCP_NODELAY the JDK server's reply waits for the client's delayed ACK, which added about 40 ms to
        // every batch request on Linux and made the stub the bottleneck. The server reads this property when created.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        TrackStub stub = new TrackStub();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        server.createContext("/", stub::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("Track API stub listening on 127.0.0.1:" + port);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            byte[] body = exchange.getRequestBody().readAllBytes();

            if (method.equals("GET") && path.equals("/stats")) {
                reply(exchange, 200, stats());
                return;
            }
            if (method.equals("GET") && path.equals("/api/v1/accounts/region")) {
                reply(exchange, 200, "{\"region\":\"us\",\"environment_id\":1,\"url\":\"http://127.0.0.1:"
                        + exchange.getLocalAddress().getPort() + "\"}");
                return;
            }

            firstRequestMillis.accumulate(System.currentTimeMillis());
            requests.incrementAndGet();
            bodyBytes.addAndGet(body.length);
            maxRequestBytes.accumulate(body.length);
            if (method.equals("POST") && path.equals("/api/v2/batch")) {
                batchRequests.incrementAndGet();
                String error = checkBatch(body);
                if (error != null) {
                    reply(exchange, 400, error);
                } else {
                    markDelivery();
                    reply(exchange, 200, "{}");
                }
            } else if ((method.equals("POST") && path.equals("/api/v2/entity"))
                    || (method.equals("POST") && path.matches("/api/v1/customers/[^/]+/events"))
                    || (method.equals("PUT") && path.matches("/api/v1/customers/[^/]+"))) {
                singleRequests.incrementAndGet();
                String error = checkSingle(method, path, body);
                if (error != null) {
                    reply(exchange, 400, error);
                } else {
                    markDelivery();
                    reply(exchange, 200, "{}");
                }
            } else {
                unknownPaths.incrementAndGet();
                reply(exchange, 404, errorBody("path", "No stubbed Track API endpoint for " + method + " " + path));
            }
        } catch (RuntimeException e) {
            System.err.println("Track API stub failed on a request: " + e);
            throw e;
        }
    }

    /** Returns a 400 body when the batch breaks a limit, else counts its items and returns null. */
    private String checkBatch(byte[] body) {
        if (body.length > MAX_REQUEST_BYTES) {
            return violation("batch", "The request is " + body.length + " bytes; the limit is " + MAX_REQUEST_BYTES);
        }
        if (!startsWith(body, BATCH_PREFIX)) {
            return violation("batch", "The body does not start with {\"batch\":[");
        }

        int itemCount = 0;
        int eventCount = 0;
        int largestItem = 0;
        int position = BATCH_PREFIX.length;
        while (position < body.length && body[position] != ']') {
            int end = endOfValue(body, position);
            if (end < 0) {
                return violation("batch", "The batch array is not well formed near byte " + position);
            }
            int itemBytes = end - position;
            if (itemBytes > MAX_ITEM_BYTES) {
                return violation("batch[" + itemCount + "]", "Item " + itemCount + " is " + itemBytes
                        + " bytes; the limit is " + MAX_ITEM_BYTES);
            }
            largestItem = Math.max(largestItem, itemBytes);
            if (indexOf(body, EVENT_MARKER, position, end) >= 0) {
                eventCount++;
            }
            itemCount++;
            position = end;
            if (position < body.length && body[position] == ',') {
                position++;
            }
        }
        if (itemCount == 0) {
            return violation("batch", "The batch is empty");
        }

        maxItems.accumulate(itemCount);
        maxItemBytes.accumulate(largestItem);
        events.addAndGet(eventCount);
        otherOperations.addAndGet(itemCount - eventCount);
        return null;
    }

    private String checkSingle(String method, String path, byte[] body) {
        if (path.startsWith("/api/v2/") && body.length > MAX_ITEM_BYTES) {
            return violation("entity", "The entity is " + body.length + " bytes; the limit is " + MAX_ITEM_BYTES);
        }
        boolean event = path.endsWith("/events") || indexOf(body, EVENT_MARKER, 0, body.length) >= 0;
        if (event) {
            events.incrementAndGet();
        } else {
            otherOperations.incrementAndGet();
        }
        return null;
    }

    private void markDelivery() {
        lastDeliveryMillis.accumulate(System.currentTimeMillis());
    }

    private String violation(String field, String message) {
        violations.incrementAndGet();
        lastViolation = field + ": " + message;
        System.err.println("Limit violation: " + lastViolation);
        return errorBody(field, message);
    }

    private static String errorBody(String field, String message) {
        return "{\"errors\":[{\"reason\":\"invalid\",\"field\":\"" + field + "\",\"message\":\""
                + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}]}";
    }

    private String stats() {
        long first = firstRequestMillis.get();
        return "{\"requests\":" + requests.get()
                + ",\"batch_requests\":" + batchRequests.get()
                + ",\"single_requests\":" + singleRequests.get()
                + ",\"events\":" + events.get()
                + ",\"other_operations\":" + otherOperations.get()
                + ",\"violations\":" + violations.get()
                + ",\"unknown_paths\":" + unknownPaths.get()
                + ",\"body_bytes\":" + bodyBytes.get()
                + ",\"max_request_bytes\":" + maxRequestBytes.get()
                + ",\"max_item_bytes\":" + maxItemBytes.get()
                + ",\"max_items\":" + maxItems.get()
                + ",\"first_request_ms\":" + (first == Long.MAX_VALUE ? 0 : first)
                + ",\"last_delivery_ms\":" + lastDeliveryMillis.get()
                + ",\"last_violation\":\"" + lastViolation.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    /**
     * Returns the index just past the JSON value that starts at {@code start} (an object, array, string or scalar),
     * or -1 when the input ends first. Only brackets and string literals are tracked, which is enough to find where
     * each batch item ends.
     */
    static int endOfValue(byte[] body, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < body.length; i++) {
            byte b = body[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
                continue;
            }
            switch (b) {
                case '"' -> inString = true;
                case '{', '[' -> depth++;
                case '}', ']' -> {
                    if (depth == 0) {
                        return i;
                    }
                    depth--;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
                case ',' -> {
                    if (depth == 0) {
                        return i;
                    }
                }
                default -> {
                }
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] body, byte[] prefix) {
        if (body.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] body, byte[] needle, int from, int to) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (body[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
