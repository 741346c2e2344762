package dev.ciobridge.forwarding;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.ciobridge.testing.RunningService;
import dev.ciobridge.testing.ServiceProcess;

/**
 * Durability across a hard crash. The service runs as a child JVM, and eight clients send signed product events to it.
 * The Track API stub is slow and fails a share of calls, so events are waiting in the outbox and some are in flight
 * when the child is killed with SIGKILL. A second child on the same data folder must then deliver every event whose
 * webhook got a 200. Every copy Customer.io receives of one event must carry the same ULID {@code id}, so its
 * deduplication counts each event exactly once.
 */
class KillAndRestartTest {

    private static final int CLIENTS = 8;
    private static final int MAX_REQUESTS_PER_CLIENT = 5_000;
    private static final Duration LOAD_BEFORE_KILL = Duration.ofMillis(1500);
    private static final Duration START_WAIT = Duration.ofSeconds(30);
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(60);
    /** Quiet period after which the second child, with nothing pending, is taken to have sent everything. */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final Path LOGS = Path.of("target", "kill-and-restart");
    private static final String REGION_PATH = "/api/v1/accounts/region";

    private static final FlakyTrack FLAKY = new FlakyTrack();
    private static WireMockServer customerIo;

    private final List<ServiceProcess> children = new ArrayList<>();
    private Load load;
    private Path dataDir;
    private boolean passed;

    @BeforeAll
    static void startStub() {
        customerIo = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort().extensions(FLAKY));
        customerIo.start();
    }

    @AfterAll
    static void stopStub() {
        if (customerIo != null) {
            customerIo.stop();
        }
    }

    @AfterEach
    void stopChildren() throws IOException {
        if (load != null) {
            load.stop();
        }
        children.forEach(ServiceProcess::close);
        customerIo.resetAll();
        // The database is kept after a failure for inspection. The child logs always stay under target/.
        if (passed && dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void killAndRestartDeliversEachAcceptedEventOnce() throws Exception {
        dataDir = Files.createTempDirectory("cio-bridge-kill-");
        customerIo.stubFor(get(urlEqualTo(REGION_PATH)).atPriority(1)
                .willReturn(okJson("{\"url\":\"https://track.customer.io\",\"region\":\"us\",\"environment_id\":1}")));
        // First life: every Track call takes 200-500 ms, and every third call returns 503.
        StubMapping slowAndFlaky = customerIo.stubFor(any(anyUrl()).atPriority(10)
                .willReturn(okJson("{}").withUniformRandomDelay(200, 500).withTransformers(FlakyTrack.NAME)));

        ServiceProcess first = startChild("life-1.log");
        ForwardingTestSupport.Account account = createAccount(first);
        String authorization = account.authorization();

        load = new Load(first, account.id());
        load.start();
        // Kill while the clients are still sending and the first Track calls are under way.
        await("load to run and Track calls to begin").pollDelay(LOAD_BEFORE_KILL).atMost(Duration.ofSeconds(20))
                .until(() -> !load.accepted.isEmpty() && !trackCalls(authorization).isEmpty());
        assertThat(load.running()).as("the clients are still sending when the child is killed").isTrue();
        first.kill();
        load.stop();

        // Second life: every Track call returns 200 at once.
        customerIo.removeStub(slowAndFlaky);
        customerIo.stubFor(any(anyUrl()).atPriority(10).willReturn(okJson("{}")));
        long restartedAt = System.currentTimeMillis();
        ServiceProcess second = startChild("life-2.log");

        await("every accepted event delivered and the outbox drained").atMost(DELIVERY_WAIT)
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    Set<String> missing = new HashSet<>(load.accepted);
                    missing.removeAll(delivered(observe(authorization)));
                    assertThat(missing).as("accepted events not yet delivered").isEmpty();
                    assertThat(millisSinceLastTrackCall(authorization)).as("ms since the last Track call")
                            .isGreaterThanOrEqualTo(QUIET.toMillis());
                    assertThat(pendingGauge(second)).as("cio_bridge_outbox_pending").isZero();
                });

        List<Delivery> deliveries = observe(authorization);
        Map<String, Set<String>> ulidsByEvent = new TreeMap<>();
        Map<String, Integer> successfulCopies = new HashMap<>();
        Set<String> ulids = new HashSet<>();
        for (Delivery delivery : deliveries) {
            ulidsByEvent.computeIfAbsent(delivery.eventId(), id -> new HashSet<>()).add(delivery.ulid());
            ulids.add(delivery.ulid());
            if (delivery.succeeded()) {
                successfulCopies.merge(delivery.eventId(), 1, Integer::sum);
            }
        }
        int duplicateDeliveries = successfulCopies.values().stream().mapToInt(copies -> copies - 1).sum();
        Set<String> deliveredAfterRestart = new HashSet<>();
        deliveries.stream().filter(delivery -> delivery.succeeded() && delivery.calledAt() >= restartedAt)
                .forEach(delivery -> deliveredAfterRestart.add(delivery.eventId()));
        Set<String> unansweredDelivered = new HashSet<>(successfulCopies.keySet());
        unansweredDelivered.retainAll(load.unanswered);
        long callsAfterRestart = trackCalls(authorization).stream()
                .filter(call -> call.getRequest().getLoggedDate().getTime() >= restartedAt).count();
        long callsBeforeRestart = trackCalls(authorization).size() - callsAfterRestart;
        System.out.printf("Kill and restart: accepted %d, delivered distinct %d, duplicate deliveries %d "
                        + "(delivered after the restart %d; events of unanswered requests %d, of which delivered %d; "
                        + "events of rejected requests %d %s; Track calls %d before the restart, %d after)%n",
                load.accepted.size(), successfulCopies.size(), duplicateDeliveries, deliveredAfterRestart.size(),
                load.unanswered.size(), unansweredDelivered.size(), load.rejected.size(), load.rejectedStatuses,
                callsBeforeRestart, callsAfterRestart);

        Set<String> missing = new HashSet<>(load.accepted);
        missing.removeAll(successfulCopies.keySet());
        assertThat(missing).as("accepted events never delivered (child logs in " + LOGS.toAbsolutePath() + ")").isEmpty();
        Map<String, Set<String>> conflicting = new TreeMap<>(ulidsByEvent);
        conflicting.values().removeIf(set -> set.size() == 1);
        assertThat(conflicting).as("events sent with more than one ULID").isEmpty();
        assertThat(ulids).as("one distinct ULID per distinct event").hasSize(ulidsByEvent.size());
        Set<String> unknown = new HashSet<>(ulidsByEvent.keySet());
        unknown.removeAll(load.accepted);
        unknown.removeAll(load.unanswered);
        assertThat(unknown).as("delivered events whose webhook was rejected or never sent").isEmpty();
        assertThat(deliveredAfterRestart).as("events still in the outbox at the kill, delivered by the second child")
                .isNotEmpty();
        RunningService.Reply letters = second.admin("GET", "/dead-letters", null);
        assertThat(letters.status()).as(letters.text()).isEqualTo(200);
        assertThat(letters.json().get("result")).as("dead letters").isEmpty();
        passed = true;
    }

    private ServiceProcess startChild(String logName) throws IOException {
        Path projectDir = Path.of("").toAbsolutePath();
        assertThat(projectDir.resolve("config/routes")).as("the child's working directory holds config/routes").isDirectory();
        String stub = "http://127.0.0.1:" + customerIo.port();
        Map<String, String> properties = RunningService.defaults(stub, dataDir.toAbsolutePath(), RunningService.freePort());
        properties.put("cio-bridge.delivery.backoff-initial", "50ms");
        properties.put("cio-bridge.delivery.backoff-max", "500ms");
        // Enough attempts that the stub's share of 503s never turns an event into a dead letter.
        properties.put("cio-bridge.delivery.max-attempts", "40");
        ServiceProcess child = ServiceProcess.start(properties, projectDir, LOGS.resolve(logName).toAbsolutePath());
        children.add(child);
        return child.awaitHealthy(START_WAIT);
    }

    /** Creates an integrated account with the product events secret on the child. */
    private static ForwardingTestSupport.Account createAccount(ServiceProcess child) throws Exception {
        String siteId = "site-kill-" + System.nanoTime();
        String apiKey = "track-key-" + siteId;
        String body = "{\"name\":\"Kill test\",\"region\":\"us\",\"site_id\":\"" + siteId + "\",\"track_api_key\":\""
                + apiKey + "\",\"webhook_secrets\":{\"events\":\"" + ForwardingTestSupport.EVENTS_SECRET + "\"}}";
        RunningService.Reply reply = child.admin("POST", "/integrated-accounts", body);
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return new ForwardingTestSupport.Account(reply.json().get("id").asText(), siteId, apiKey);
    }

    /**
     * One event operation the stub received: the source event it carries, its ULID, whether the stub returned 2xx,
     * and when the call that carried it arrived.
     */
    private record Delivery(String eventId, String ulid, boolean succeeded, long calledAt) {
    }

    private static List<ServeEvent> trackCalls(String authorization) {
        List<ServeEvent> calls = new ArrayList<>();
        for (ServeEvent event : customerIo.getAllServeEvents()) {
            LoggedRequest request = event.getRequest();
            if (authorization.equals(request.getHeader("Authorization")) && !REGION_PATH.equals(request.getUrl())) {
                calls.add(event);
            }
        }
        return calls;
    }

    /** Collects every event operation the stub received for the account, whichever endpoint carried it. */
    private static List<Delivery> observe(String authorization) throws Exception {
        List<Delivery> deliveries = new ArrayList<>();
        for (ServeEvent call : trackCalls(authorization)) {
            int status = call.getResponse() != null ? call.getResponse().getStatus() : call.getResponseDefinition().getStatus();
            for (JsonNode operation : ForwardingTestSupport.operationsOf(call.getRequest())) {
                if ("event".equals(operation.path("action").asText())) {
                    deliveries.add(new Delivery(operation.path("attributes").path("source_id").asText(),
                            operation.path("id").asText(), status >= 200 && status < 300,
                            call.getRequest().getLoggedDate().getTime()));
                }
            }
        }
        return deliveries;
    }

    private static Set<String> delivered(List<Delivery> deliveries) {
        Set<String> ids = new HashSet<>();
        deliveries.stream().filter(Delivery::succeeded).forEach(delivery -> ids.add(delivery.eventId()));
        return ids;
    }

    private static long millisSinceLastTrackCall(String authorization) {
        long last = trackCalls(authorization).stream()
                .mapToLong(call -> call.getRequest().getLoggedDate().getTime()).max().orElse(0);
        return System.currentTimeMillis() - last;
    }

    /** Reads the dispatcher's count of waiting operations, as of its last idle pass, from {@code /observe/metrics}. */
    private static double pendingGauge(ServiceProcess child) throws Exception {
        String metrics = child.request("GET", "/observe/metrics", Map.of(), null).text();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("cio_bridge_outbox_pending ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        throw new AssertionError("No cio_bridge_outbox_pending in /observe/metrics");
    }

    /**
     * The clients. Each sends signed requests of 1 to 5 events with unique ids, one after another, until stopped.
     * An event is accepted when its request got a 200 and rejected when it got any other status. It is unanswered
     * when no response came because the child died with the request in flight, so it may or may not be stored.
     */
    private static final class Load {

        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        final Set<String> rejected = ConcurrentHashMap.newKeySet();
        final Set<String> unanswered = ConcurrentHashMap.newKeySet();
        final Map<Integer, AtomicInteger> rejectedStatuses = new ConcurrentHashMap<>();
        private final ServiceProcess child;
        private final String accountId;
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();
        private final long timestamp = System.currentTimeMillis() / 1000;

        Load(ServiceProcess child, String accountId) {
            this.child = child;
            this.accountId = accountId;
        }

        void start() {
            for (int client = 0; client < CLIENTS; client++) {
                int number = client;
                Thread thread = new Thread(() -> send(number), "kill-test-client-" + client);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        boolean running() {
            return threads.stream().allMatch(Thread::isAlive);
        }

        void stop() {
            stopping.set(true);
            for (Thread thread : threads) {
                try {
                    thread.join(15_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void send(int client) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int request = 0; request < MAX_REQUESTS_PER_CLIENT && !stopping.get(); request++) {
                List<String> ids = new ArrayList<>();
                StringBuilder json = new StringBuilder("[");
                int size = 1 + random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    String id = "evt-" + client + "-" + request + "-" + i;
                    ids.add(id);
                    json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id)
                            .append("\",\"name\":\"kill_test\",\"person\":{\"id\":\"user-").append(random.nextInt(40))
                            .append("\"},\"timestamp\":").append(timestamp)
                            .append(",\"data\":{\"source_id\":\"").append(id).append("\"}}");
                }
                byte[] body = json.append(']').toString().getBytes(StandardCharsets.UTF_8);
                String messageId = "msg-" + client + "-" + request;
                long signedAt = System.currentTimeMillis() / 1000;
                try {
                    RunningService.Reply reply = child.request("POST", "/webhooks/events/" + accountId, Map.of(
                            "webhook-id", messageId,
                            "webhook-timestamp", Long.toString(signedAt),
                            "webhook-signature", "v1," + ForwardingTestSupport.standardSignature(messageId, signedAt, body),
                            "Content-Type", "application/json"), body);
                    if (reply.status() == 200) {
                        accepted.addAll(ids);
                    } else {
                        rejected.addAll(ids);
                        rejectedStatuses.computeIfAbsent(reply.status(), status -> new AtomicInteger()).incrementAndGet();
                    }
                } catch (IOException e) {
                    unanswered.addAll(ids);
                } catch (InterruptedException e) {
                    unanswered.addAll(ids);
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Turns every third Track call of the stubs that name it into a 503, keeping the stub's delay. */
    static final class FlakyTrack implements ResponseDefinitionTransformerV2 {

        static final String NAME = "flaky-track";
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            ResponseDefinition response = serveEvent.getResponseDefinition();
            if (calls.incrementAndGet() % 3 != 0) {
                return response;
            }
            return ResponseDefinitionBuilder.like(response).but().withStatus(503)
                    .withBody("{\"errors\":[{\"detail\":\"service unavailable\",\"status\":\"503\"}]}").build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
