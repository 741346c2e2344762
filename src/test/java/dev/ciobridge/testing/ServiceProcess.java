package dev.ciobridge.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ciobridge.CioBridge;

/**
 * The real service as a child JVM, started from {@link CioBridge}'s main class with the test's class path, so a test
 * can kill it the hard way ({@link #kill()}: SIGKILL, no shutdown hooks) and start another on the same data folder.
 * Its console output goes to a log file for diagnosis.
 */
public final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code java -cp <this class path> dev.ciobridge.CioBridge} in {@code workingDir} with each property as a
     * {@code -D} option. The properties must name the port ({@code cio-bridge.http.port}).
     */
    public static ServiceProcess start(Map<String, String> properties, Path workingDir, Path log) throws IOException {
        int port = Integer.parseInt(properties.get("cio-bridge.http.port"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CioBridge.class.getName());
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command)
                .directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        return new ServiceProcess(process, port, log);
    }

    /** Waits until {@code GET /observe/health} returns 200, and fails at once if the process exits first. */
    public ServiceProcess awaitHealthy(Duration atMost) {
        await("cio-bridge child on port " + port + " to be healthy (log: " + log + ")")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("The cio-bridge child exited with code " + process.exitValue()
                                + " before it was healthy; see " + log.toAbsolutePath());
                    }
                    try {
                        return request("GET", "/observe/health", Map.of(), null).status() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public RunningService.Reply request(String method, String path, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new RunningService.Reply(response.statusCode(), response.headers().map(), response.body());
    }

    public RunningService.Reply admin(String method, String path, String jsonBody) throws IOException, InterruptedException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + RunningService.ADMIN_TOKEN);
        if (jsonBody != null) {
            headers.put("Content-Type", "application/json");
        }
        return request(method, path, headers, jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits for the process to end by itself and returns its exit code, or null if it still runs after {@code atMost}. */
    public Integer awaitExit(Duration atMost) throws InterruptedException {
        return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** SIGKILL: the process gets no chance to run shutdown hooks or finish anything. Waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The cio-bridge child " + process.pid() + " is still alive 10 s after SIGKILL");
        }
    }

    /** Kills the process if it is still running. Calling it again does nothing. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
