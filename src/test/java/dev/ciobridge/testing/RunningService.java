package dev.ciobridge.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.main.Main;

import dev.ciobridge.CioBridge;
import dev.ciobridge.api.Json;

/**
 * The real service, booted in-process from {@link CioBridge}'s main class on a free loopback port, with its own data
 * folder and the Customer.io hosts pointed at a local stub. Tests start one, call it over HTTP and stop it.
 */
public final class RunningService implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token";
    /** 32 zero bytes: a fixed master key, so restarted services read what earlier ones stored. */
    public static final String MASTER_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private final Main main;
    private final int port;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningService(Main main, int port, Path dataDir) {
        this.main = main;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** Properties every test service runs with: fast retries, no file watcher, the stub for both regions. */
    public static Map<String, String> defaults(String customerIoUrl, Path dataDir, int port) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("cio-bridge.http.port", Integer.toString(port));
        properties.put("cio-bridge.data-dir", dataDir.toString());
        properties.put("cio-bridge.admin-token", ADMIN_TOKEN);
        properties.put("cio-bridge.master-key", MASTER_KEY);
        properties.put("camel.main.routes-reload-enabled", "false");
        properties.put("cio-bridge.delivery.backoff-initial", "50ms");
        properties.put("cio-bridge.delivery.backoff-max", "400ms");
        properties.put("cio-bridge.delivery.rate-limited-backoff", "100ms");
        properties.put("cio-bridge.delivery.idle-poll", "100ms");
        properties.put("cio-bridge.delivery.max-attempts", "4");
        for (String region : new String[] {"us", "eu"}) {
            properties.put("customerio." + region + ".track-url", customerIoUrl);
            properties.put("customerio." + region + ".app-url", customerIoUrl);
            properties.put("customerio." + region + ".pipelines-url", customerIoUrl);
        }
        return properties;
    }

    public static RunningService start(String customerIoUrl, Map<String, String> overrides) throws Exception {
        Path dataDir = Files.createTempDirectory("cio-bridge-test");
        return start(customerIoUrl, dataDir, overrides);
    }

    public static RunningService start(String customerIoUrl, Path dataDir, Map<String, String> overrides) throws Exception {
        int port = freePort();
        Main main = new Main(CioBridge.class);
        main.setPropertyPlaceholderLocations(CioBridge.PROPERTY_LOCATIONS);
        Map<String, String> properties = defaults(customerIoUrl, dataDir, port);
        properties.putAll(overrides);
        properties.forEach(main::addOverrideProperty);
        main.start();
        return new RunningService(main, port, dataDir);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Main main() {
        return main;
    }

    public Reply request(String method, String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), response.headers().map(), response.body());
    }

    public Reply admin(String method, String path, String jsonBody) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + ADMIN_TOKEN);
        if (jsonBody != null) {
            headers.put("Content-Type", "application/json");
        }
        return request(method, path, headers, jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        main.stop();
        main.shutdown();
    }

    /** An HTTP response from the service. */
    public record Reply(int status, Map<String, java.util.List<String>> headers, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (" + status + "): " + text(), e);
            }
        }
    }
}
