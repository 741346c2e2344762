package dev.ciobridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Measures how many small Track requests per second the simulator serves on this machine. Not a test, because
 * tests never assert timings: run it by hand with the test class path. Arguments: total requests (default 200000)
 * and concurrent connections (default 64). The load generator shares the machine's cores with the simulator, so
 * the figure is a lower bound of what the simulator alone sustains. It stops after the count or after 120 s.
 */
public final class TrackThroughputProbe {

    private TrackThroughputProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        try (CioSimulator simulator = CioSimulator.start()) {
            SandboxWorkspace workspace = simulator.createWorkspace(WorkspaceSpec.defaults().withData(1_000, 0));
            String authorization = "Basic " + Base64.getEncoder().encodeToString((workspace.credentials().siteId() + ":"
                    + workspace.credentials().trackApiKey()).getBytes(StandardCharsets.UTF_8));
            Vertx vertx = Vertx.vertx();
            HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(connections));
            // Warm-up, so the JIT has compiled the request path before the measured run.
            run(http, simulator.port(), authorization, 20_000, connections);
            long started = System.nanoTime();
            long failed = run(http, simulator.port(), authorization, total, connections);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("%d Track requests (%d not 200) in %.2f s over %d connections: %.0f requests/s%n",
                    total, failed, seconds, connections, total / seconds);
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** Sends {@code total} requests, keeping {@code connections} in flight, and returns how many were not 200. */
    private static long run(HttpClient http, int port, String authorization, int total, int connections)
            throws InterruptedException {
        AtomicInteger sent = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(total);
        for (int i = 0; i < connections; i++) {
            sendNext(http, port, authorization, total, sent, failed, done);
        }
        done.await(120, TimeUnit.SECONDS);
        return failed.get() + done.getCount();
    }

    private static void sendNext(HttpClient http, int port, String authorization, int total, AtomicInteger sent,
            AtomicLong failed, CountDownLatch done) {
        int number = sent.getAndIncrement();
        if (number >= total) {
            return;
        }
        boolean event = number % 2 == 0;
        RequestOptions options = new RequestOptions()
                .setHost("127.0.0.1").setPort(port)
                .setMethod(event ? HttpMethod.POST : HttpMethod.PUT)
                .setURI(event ? "/track/api/v1/customers/user-" + (number % 1000) + "/events"
                        : "/track/api/v1/customers/user-" + (number % 1000))
                .putHeader("Authorization", authorization)
                .putHeader("Content-Type", "application/json");
        Buffer body = Buffer.buffer(event ? "{\"name\":\"page_viewed\",\"data\":{\"n\":" + number + "}}"
                : "{\"plan\":\"pro\",\"logins\":" + number + "}");
        http.request(options)
                .compose(request -> request.send(body))
                .onComplete(result -> {
                    if (result.failed() || result.result().statusCode() != 200) {
                        failed.incrementAndGet();
                    }
                    if (result.succeeded()) {
                        result.result().body();
                    }
                    done.countDown();
                    sendNext(http, port, authorization, total, sent, failed, done);
                });
    }
}
