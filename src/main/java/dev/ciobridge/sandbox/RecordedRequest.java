package dev.ciobridge.sandbox;

/**
 * One request the simulator responded to, kept for inspection.
 *
 * @param surface the API it reached
 * @param method HTTP method
 * @param path path below the surface's base URL, as sent (percent-encoded), without the query
 * @param status the response status, or 0 when the connection was dropped on purpose
 */
public record RecordedRequest(Surface surface, String method, String path, int status) {
}
