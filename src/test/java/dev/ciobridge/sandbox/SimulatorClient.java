package dev.ciobridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ciobridge.testing.TrackApiContract;

/**
 * A JDK HttpClient bound to one simulator, with one method per surface that sets that surface's credentials.
 * Track requests that a test marks as valid are also checked against Customer.io's Track API description when
 * the OpenAPI folder is configured.
 */
final class SimulatorClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Optional<TrackApiContract> CONTRACT = TrackApiContract.load();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final SimulatorUrls urls;

    SimulatorClient(SimulatorUrls urls) {
        this.urls = urls;
    }

    /** A response with its body parsed as JSON (or null when empty or not JSON). */
    record Reply(int status, JsonNode json, String body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String trackAuth(SandboxWorkspace workspace) {
        return basic(workspace.credentials().siteId(), workspace.credentials().trackApiKey());
    }

    /** Sends a Track request that must conform to Customer.io's Track API description. */
    Reply track(SandboxWorkspace workspace, String method, String path, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", trackAuth(workspace));
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        CONTRACT.ifPresent(contract -> {
            List<String> violations = contract.violations(method, path, headers,
                    body == null ? null : body.getBytes(StandardCharsets.UTF_8));
            assertThat(violations).as("Track request %s %s breaks the Track API description", method, path).isEmpty();
        });
        return send(urls.track() + path, method, body, headers);
    }

    /** Sends a Track request without checking it against the description, for requests that are wrong on purpose. */
    Reply trackUnchecked(String authorization, String method, String path, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        headers.put("Content-Type", "application/json");
        return send(urls.track() + path, method, body, headers);
    }

    Reply app(SandboxWorkspace workspace, String method, String pathAndQuery, String body) {
        return appWithToken("Bearer " + workspace.credentials().appApiKey(), method, pathAndQuery, body);
    }

    Reply appWithToken(String authorization, String method, String pathAndQuery, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        headers.put("Content-Type", "application/json");
        return send(urls.app() + pathAndQuery, method, body, headers);
    }

    Reply pipelines(String authorization, boolean strict, String path, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        headers.put("Content-Type", "application/json");
        if (strict) {
            headers.put("X-Strict-Mode", "1");
        }
        return send(urls.pipelines() + path, "POST", body, headers);
    }

    Reply admin(String method, String path, String body) {
        return send(urls.admin() + path, method, body, Map.of("Content-Type", "application/json"));
    }

    Reply send(String url, String method, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), parse(response.body()), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpClient http() {
        return http;
    }

    static JsonNode parse(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
