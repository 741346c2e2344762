package dev.ciobridge.customerio;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.ciobridge.app.Settings;
import dev.ciobridge.sandbox.EmbeddedSandbox;

/**
 * The one place that builds Customer.io URLs and authentication headers. Every call to Customer.io goes through it;
 * callers pass a region, credentials and a path whose segments they encoded with {@link PathSegments}.
 */
public final class CustomerIoClient {

    private static final String USER_AGENT = "cio-bridge/0.1";

    private final CustomerIoHosts hosts;
    private final HttpClient http;
    private final Duration requestTimeout;

    public CustomerIoClient(Settings settings, EmbeddedSandbox sandbox) {
        this.hosts = new CustomerIoHosts(settings, sandbox);
        this.requestTimeout = settings.duration("customerio.request-timeout", Duration.ofSeconds(30));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.duration("customerio.connect-timeout", Duration.ofSeconds(5)))
                // An EU workspace called on a US host is redirected; never follow, so credentials stay on the configured host.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Sends one Track API request. A non-2xx status is returned, not thrown; an I/O failure or timeout is thrown.
     *
     * @param path an absolute path on the Track host, such as {@code /api/v2/batch}, already percent-encoded
     * @param jsonBody the request body, or null for none
     */
    public TrackResponse track(Region region, TrackCredentials credentials, String method, String path, byte[] jsonBody)
            throws IOException, InterruptedException {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("Track API path must start with '/': " + path);
        }
        URI uri = URI.create(hosts.baseUrl(region, CustomerIoHosts.Api.TRACK) + path);
        HttpRequest.BodyPublisher publisher = jsonBody == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(jsonBody);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Authorization", credentials.authorizationHeader())
                .header("User-Agent", USER_AGENT)
                .header("Accept", "application/json")
                .method(method, publisher);
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new TrackResponse(response.statusCode(), response.headers(), response.body());
    }

    /**
     * Sends one request to any Customer.io API. A non-2xx status is returned, not thrown; an I/O failure or timeout
     * is thrown.
     *
     * @param pathAndQuery an absolute path on the API's host, already percent-encoded, with its query string if any
     * @param authorization the {@code Authorization} header for the API
     * @param headers further request headers (such as {@code Content-Type}); null for none
     */
    public CustomerIoResponse send(Region region, CustomerIoHosts.Api api, String authorization, String method,
                                   String pathAndQuery, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("Customer.io API path must start with '/': " + pathAndQuery);
        }
        URI uri = URI.create(hosts.baseUrl(region, api) + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Authorization", authorization)
                .header("User-Agent", USER_AGENT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        boolean accept = false;
        boolean contentType = false;
        if (headers != null) {
            for (Map.Entry<String, String> header : headers.entrySet()) {
                request.header(header.getKey(), header.getValue());
                accept |= header.getKey().equalsIgnoreCase("Accept");
                contentType |= header.getKey().equalsIgnoreCase("Content-Type");
            }
        }
        if (!accept) {
            request.header("Accept", "application/json");
        }
        if (body != null && !contentType) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new CustomerIoResponse(response.statusCode(), response.headers(), response.body());
    }

    public String baseUrl(Region region, CustomerIoHosts.Api api) {
        return hosts.baseUrl(region, api);
    }

    public String trackBaseUrl(Region region) {
        return hosts.baseUrl(region, CustomerIoHosts.Api.TRACK);
    }
}
