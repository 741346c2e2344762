package dev.ciobridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrackV1SimulatorTest extends SimulatorTestSupport {

    private static final String ULID_A = "01HB4HBDKTFWYZCK01DMRSWRFD";
    private static final String ULID_B = "01HB4HBDKTFWYZCK01DMRSWRFE";


    @Test
    void oldestEventsAreDroppedPastLimit() {
        workspace.maxStoredEvents = 3;
        for (int i = 0; i < 5; i++) {
            String ulid = "01HB4HBDKTFWYZCK01DMRSWR" + (char) ('A' + i) + "0";
            client.track(workspace, "POST", "/api/v1/customers/capped/events",
                    "{\"name\":\"e" + i + "\",\"id\":\"" + ulid + "\",\"timestamp\":1767225600}");
        }

        assertThat(workspace.events("capped")).extracting(EventRecord::name).containsExactly("e2", "e3", "e4");
        client.track(workspace, "POST", "/api/v1/customers/capped/events",
                "{\"name\":\"e0 again\",\"id\":\"01HB4HBDKTFWYZCK01DMRSWRA0\",\"timestamp\":1767225600}");
        assertThat(workspace.events("capped")).extracting(EventRecord::name).containsExactly("e3", "e4", "e0 again");
    }

    @Test
    void missingCredentialsGet401() {
        SimulatorClient.Reply reply = client.trackUnchecked(null, "PUT", "/api/v1/customers/42", "{}");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().path("meta").path("errors").get(0).asText()).contains("Unauthorized");
        assertThat(reply.header("X-Cio-Sandbox")).isEqualTo("true");
    }

    @Test
    void wrongTrackKeyGets401() {
        String wrong = SimulatorClient.basic(workspace.credentials().siteId(), "not-the-key");

        SimulatorClient.Reply reply = client.trackUnchecked(wrong, "PUT", "/api/v1/customers/42", "{}");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(workspace.peopleCount()).isZero();
    }

    @Test
    void appKeyIsRejectedOnTrack() {
        String bearer = "Bearer " + workspace.credentials().appApiKey();

        assertThat(client.trackUnchecked(bearer, "GET", "/api/v1/accounts/region", null).status()).isEqualTo(401);
    }

    @Test
    void regionNamesSimulatorAndWorkspace() {
        SimulatorClient.Reply reply = client.track(workspace, "GET", "/api/v1/accounts/region", null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("region").asText()).isEqualTo("us");
        assertThat(reply.json().path("url").asText()).isEqualTo(simulator.urls().track());
        assertThat(reply.json().path("environment_id").asLong()).isEqualTo(workspace.credentials().environmentId());
        assertThat(reply.header("X-Cio-Sandbox")).isEqualTo("true");
    }

    @Test
    void identifyCreatesAndUpdatesPerson() {
        SimulatorClient.Reply created = client.track(workspace, "PUT", "/api/v1/customers/42",
                "{\"email\":\"Ada@Example.com\",\"plan\":\"pro\",\"created_at\":1700000000}");
        SimulatorClient.Reply updated = client.track(workspace, "PUT", "/api/v1/customers/42", "{\"plan\":\"enterprise\"}");

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body()).isEqualTo("{}");
        assertThat(updated.status()).isEqualTo(200);
        PersonSnapshot person = workspace.person("42").orElseThrow();
        assertThat(person.email()).isEqualTo("Ada@Example.com");
        assertThat(person.attribute("plan")).isEqualTo("enterprise");
        assertThat(person.attribute("created_at")).isEqualTo("1700000000");
    }

    @Test
    void emailLookupIgnoresCase() {
        client.track(workspace, "PUT", "/api/v1/customers/42", "{\"email\":\"Ada@Example.com\"}");

        assertThat(workspace.person("ada@example.COM")).map(PersonSnapshot::id).contains("42");
    }

    @Test
    void emailShapedPathIsEmail() {
        client.track(workspace, "PUT", "/api/v1/customers/grace%40example.com", "{\"id\":\"g1\",\"plan\":\"pro\"}");

        PersonSnapshot person = workspace.person("grace@example.com").orElseThrow();
        assertThat(person.id()).isEqualTo("g1");
        assertThat(person.attribute("plan")).isEqualTo("pro");
    }

    @Test
    void cioPrefixAddressesCioId() {
        client.track(workspace, "PUT", "/api/v1/customers/42", "{\"email\":\"a@example.com\"}");
        String cioId = workspace.person("42").orElseThrow().cioId();

        client.track(workspace, "PUT", "/api/v1/customers/cio_" + cioId, "{\"id\":\"43\",\"email\":\"b@example.com\"}");

        PersonSnapshot person = workspace.person("cio_" + cioId).orElseThrow();
        assertThat(person.id()).isEqualTo("43");
        assertThat(person.email()).isEqualTo("b@example.com");
        assertThat(workspace.person("42")).isEmpty();
    }

    @Test
    void unknownCioIdCreatesNobody() {
        client.track(workspace, "PUT", "/api/v1/customers/cio_ffff00000001", "{\"plan\":\"pro\"}");

        assertThat(workspace.peopleCount()).isZero();
    }

    @Test
    void percentEncodedSlashIsPartOfId() {
        SimulatorClient.Reply reply = client.track(workspace, "PUT", "/api/v1/customers/org%2F42", "{\"plan\":\"pro\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(workspace.person("org/42")).isPresent();
    }

    @Test
    void updateOnlyDoesNotCreate() {
        client.track(workspace, "PUT", "/api/v1/customers/42", "{\"_update\":true,\"plan\":\"pro\"}");

        assertThat(workspace.peopleCount()).isZero();
    }

    @Test
    void eventIsStoredOnPerson() {
        SimulatorClient.Reply reply = client.track(workspace, "POST", "/api/v1/customers/42/events",
                "{\"name\":\" purchase \",\"data\":{\"sku\":\"s1\"},\"timestamp\":1700000000,\"id\":\"" + ULID_A + "\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(workspace.events("42")).hasSize(1);
        EventRecord event = workspace.events("42").get(0);
        assertThat(event.name()).isEqualTo("purchase");
        assertThat(event.data().path("sku").asText()).isEqualTo("s1");
        assertThat(event.timestamp()).isEqualTo(1_700_000_000L);
        assertThat(event.id()).isEqualTo(ULID_A);
    }

    @Test
    void repeatedUlidIsStoredOnce() {
        String event = "{\"name\":\"purchase\",\"id\":\"" + ULID_A + "\"}";

        SimulatorClient.Reply first = client.track(workspace, "POST", "/api/v1/customers/42/events", event);
        SimulatorClient.Reply second = client.track(workspace, "POST", "/api/v1/customers/42/events",
                "{\"name\":\"purchase\",\"id\":\"" + ULID_A.toLowerCase() + "\"}");
        client.track(workspace, "POST", "/api/v1/customers/42/events", "{\"name\":\"purchase\",\"id\":\"" + ULID_B + "\"}");

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(workspace.events("42")).hasSize(2);
        assertThat(workspace.duplicateEventsIgnored()).isEqualTo(1);
    }

    @Test
    void eventIdMustBeUlid() {
        SimulatorClient.Reply reply = client.trackUnchecked(SimulatorClient.trackAuth(workspace), "POST",
                "/api/v1/customers/42/events", "{\"name\":\"purchase\",\"id\":\"evt_42\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("meta").path("errors").get(0).asText()).contains("ULID");
    }

    @Test
    void anonymousEventIsStored() {
        client.track(workspace, "POST", "/api/v1/events", "{\"name\":\"signup_started\",\"anonymous_id\":\"anon-1\"}");

        assertThat(workspace.anonymousEvents()).singleElement()
                .satisfies(event -> assertThat(event.anonymousId()).isEqualTo("anon-1"));
    }

    @Test
    void deviceAddAndDelete() {
        client.track(workspace, "PUT", "/api/v1/customers/42/devices",
                "{\"device\":{\"id\":\"tok1\",\"platform\":\"ios\",\"last_used\":1700000000,\"attributes\":{\"app_version\":\"1.2\"}}}");

        assertThat(workspace.person("42").orElseThrow().devices()).singleElement()
                .satisfies(device -> assertThat(device.attributes()).containsEntry("app_version", "1.2"));

        client.track(workspace, "DELETE", "/api/v1/customers/42/devices/tok1", null);

        assertThat(workspace.person("42").orElseThrow().devices()).isEmpty();
    }

    @Test
    void deviceWithoutPlatformIsRejected() {
        SimulatorClient.Reply reply = client.trackUnchecked(SimulatorClient.trackAuth(workspace), "PUT",
                "/api/v1/customers/42/devices", "{\"device\":{\"id\":\"tok1\"}}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("meta").path("errors").get(0).asText()).contains("platform");
    }

    @Test
    void deleteRemovesPerson() {
        client.track(workspace, "PUT", "/api/v1/customers/42", "{}");

        client.track(workspace, "DELETE", "/api/v1/customers/42", null);

        assertThat(workspace.person("42")).isEmpty();
    }

    @Test
    void suppressBlocksLaterData() {
        client.track(workspace, "PUT", "/api/v1/customers/42", "{\"email\":\"a@example.com\"}");

        client.track(workspace, "POST", "/api/v1/customers/42/suppress", null);
        client.track(workspace, "PUT", "/api/v1/customers/a@example.com", "{\"plan\":\"pro\"}");
        client.track(workspace, "PUT", "/api/v1/customers/42", "{}");

        assertThat(workspace.peopleCount()).isZero();
        assertThat(workspace.isSuppressed("42")).isTrue();

        client.track(workspace, "POST", "/api/v1/customers/42/unsuppress", null);
        client.track(workspace, "PUT", "/api/v1/customers/42", "{}");

        assertThat(workspace.person("42")).isPresent();
    }

    @Test
    void manualSegmentAddAndRemove() {
        int segmentId = workspace.createManualSegment("Beta");
        client.track(workspace, "PUT", "/api/v1/customers/1", "{\"email\":\"one@example.com\"}");
        client.track(workspace, "PUT", "/api/v1/customers/2", "{}");

        client.track(workspace, "POST", "/api/v1/segments/" + segmentId + "/add_customers", "{\"ids\":[\"1\",\"2\",\"nobody\"]}");
        client.track(workspace, "POST", "/api/v1/segments/" + segmentId + "/remove_customers?id_type=email",
                "{\"ids\":[\"ONE@example.com\"]}");

        assertThat(workspace.segmentMembers(segmentId)).extracting(PersonSnapshot::id).containsExactly("2");
    }

    @Test
    void segmentIdsLimitedTo1000() {
        int segmentId = workspace.createManualSegment("Beta");
        StringBuilder ids = new StringBuilder("{\"ids\":[");
        for (int i = 0; i < 1001; i++) {
            ids.append(i == 0 ? "" : ",").append('"').append(i).append('"');
        }
        ids.append("]}");

        SimulatorClient.Reply tooMany = client.trackUnchecked(SimulatorClient.trackAuth(workspace), "POST",
                "/api/v1/segments/" + segmentId + "/add_customers", ids.toString());
        SimulatorClient.Reply none = client.trackUnchecked(SimulatorClient.trackAuth(workspace), "POST",
                "/api/v1/segments/" + segmentId + "/add_customers", "{\"ids\":[]}");

        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(none.status()).isEqualTo(400);
    }

    @Test
    void dataDrivenSegmentRejectsAdds() {
        SimulatorClient.Reply reply = client.trackUnchecked(SimulatorClient.trackAuth(workspace), "POST",
                "/api/v1/segments/1/add_customers", "{\"ids\":[\"1\"]}");

        assertThat(reply.status()).isEqualTo(400);
    }

    @Test
    void unknownSegmentGets404() {
        SimulatorClient.Reply reply = client.trackUnchecked(SimulatorClient.trackAuth(workspace), "POST",
                "/api/v1/segments/999/add_customers", "{\"ids\":[\"1\"]}");

        assertThat(reply.status()).isEqualTo(404);
    }

    @Test
    void unsubscribeLinkNeedsNoCredentials() {
        SandboxWorkspace seeded = simulator.createWorkspace(WorkspaceSpec.defaults().withData(10, 20));
        String deliveryId = "sbx" + seeded.credentials().environmentId() + "d3";

        SimulatorClient.Reply reply = client.trackUnchecked(null, "POST", "/unsubscribe/" + deliveryId, "{\"unsubscribe\":true}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(seeded.person("user-3").orElseThrow().unsubscribed()).isTrue();
    }

    @Test
    void unknownPathGets404() {
        SimulatorClient.Reply reply = client.trackUnchecked(SimulatorClient.trackAuth(workspace), "GET", "/api/v1/nothing", null);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("X-Cio-Sandbox")).isEqualTo("true");
    }

    @Test
    void requestsAreCounted() {
        client.track(workspace, "PUT", "/api/v1/customers/42", "{}");
        client.track(workspace, "PUT", "/api/v1/customers/43", "{}");

        assertThat(workspace.requestsReceived(Surface.TRACK)).isEqualTo(2);
        assertThat(workspace.recentRequests()).extracting(RecordedRequest::path)
                .containsExactly("/api/v1/customers/42", "/api/v1/customers/43");
    }
}
