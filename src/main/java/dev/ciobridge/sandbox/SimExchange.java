package dev.ciobridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * One request in flight: the Vert.x request, its body, the surface and workspace it belongs to, and the path split
 * into raw (still percent-encoded) segments below the surface's base URL.
 */
final class SimExchange {

    static final CharSequence SANDBOX_HEADER = HttpHeaders.createOptimized("X-Cio-Sandbox");
    static final CharSequence TRUE = HttpHeaders.createOptimized("true");
    private static final CharSequence JSON_TYPE = HttpHeaders.createOptimized("application/json");
    private static final Buffer EMPTY_OBJECT = Buffer.buffer("{}");

    final Vertx vertx;
    final HttpServerRequest request;
    final Buffer body;
    final Surface surface;
    /** Path below the surface's base URL, such as {@code /api/v1/customers/42}. */
    final String path;
    final String[] segments;
    SandboxWorkspace workspace;
    private boolean answered;

    SimExchange(Vertx vertx, HttpServerRequest request, Buffer body, Surface surface, String path) {
        this.vertx = vertx;
        this.request = request;
        this.body = body;
        this.surface = surface;
        this.path = path;
        this.segments = splitPath(path);
    }

    private static String[] splitPath(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    HttpMethod method() {
        return request.method();
    }

    /** Returns true when the path has exactly these segments, where null matches any one segment. */
    boolean matches(HttpMethod method, String... pattern) {
        if (!request.method().equals(method) || segments.length != pattern.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i] != null && !pattern[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    /** Returns path segment {@code index} percent-decoded, or throws a 400 in {@code onError}'s envelope. */
    String decodedSegment(int index, java.util.function.Function<String, ApiError> onError) {
        String decoded = Identifier.percentDecode(segments[index]);
        if (decoded == null || decoded.isEmpty()) {
            throw onError.apply("path segment '" + segments[index] + "' is not validly percent-encoded");
        }
        return decoded;
    }

    byte[] bodyBytes() {
        return body == null ? new byte[0] : body.getBytes();
    }

    int bodyLength() {
        return body == null ? 0 : body.length();
    }

    JsonNode json() {
        return body == null ? null : SandboxJson.parse(body.getBytes());
    }

    String query(String name) {
        return request.getParam(name);
    }

    String header(String name) {
        return request.getHeader(name);
    }

    void replyEmptyObject() {
        send(200, EMPTY_OBJECT.copy());
    }

    void replyJson(int status, JsonNode json) {
        send(status, Buffer.buffer(SandboxJson.write(json)));
    }

    void replyNoContent(int status) {
        if (!begin(status)) {
            return;
        }
        request.response().setStatusCode(status).end();
    }

    void replyError(ApiError error) {
        if (error.retryAfterSeconds != null && !answered) {
            request.response().putHeader("Retry-After", String.valueOf(error.retryAfterSeconds));
        }
        replyJson(error.status, error.body);
    }

    /** Closes the connection without a response, as the dropped-connection fault requires. */
    void drop() {
        if (!begin(0)) {
            return;
        }
        request.connection().close();
    }

    private void send(int status, Buffer content) {
        if (!begin(status)) {
            return;
        }
        HttpServerResponse response = request.response();
        response.setStatusCode(status);
        response.putHeader(HttpHeaders.CONTENT_TYPE, JSON_TYPE);
        response.end(content);
    }

    /** Records the response once. Returns false when the exchange already has one. */
    private boolean begin(int status) {
        if (answered) {
            return false;
        }
        answered = true;
        if (workspace != null) {
            workspace.requests.add(new RecordedRequest(surface, request.method().name(), path, status));
        }
        return true;
    }
}
