package dev.ciobridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Track API limits, counted in UTF-8 bytes, each one just inside and just outside. */
class TrackLimitsSimulatorTest extends SimulatorTestSupport {


    private SimulatorClient.Reply put(String identifier, String body) {
        return client.trackUnchecked(SimulatorClient.trackAuth(workspace), "PUT", "/api/v1/customers/" + identifier, body);
    }

    private SimulatorClient.Reply event(String body) {
        return client.trackUnchecked(SimulatorClient.trackAuth(workspace), "POST", "/api/v1/customers/42/events", body);
    }

    @Test
    void idLimitCountsBytes() {
        // "é" is two bytes in UTF-8: 75 of them are exactly 150 bytes, 76 are 152.
        String atLimit = "%C3%A9".repeat(75);
        String overLimit = "%C3%A9".repeat(76);

        assertThat(put(atLimit, "{}").status()).isEqualTo(200);
        SimulatorClient.Reply rejected = put(overLimit, "{}");

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.json().path("meta").path("errors").get(0).asText()).contains("152 bytes");
    }

    @Test
    void attributeNameLimit() {
        assertThat(put("42", "{\"" + "n".repeat(150) + "\":1}").status()).isEqualTo(200);
        assertThat(put("42", "{\"" + "n".repeat(151) + "\":1}").status()).isEqualTo(400);
    }

    @Test
    void attributeValueLimitCountsBytes() {
        assertThat(put("42", "{\"bio\":\"" + "ü".repeat(500) + "\"}").status()).isEqualTo(200);
        SimulatorClient.Reply rejected = put("42", "{\"bio\":\"" + "ü".repeat(501) + "\"}");

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.json().path("meta").path("errors").get(0).asText()).contains("1002 bytes");
    }

    @Test
    void attributeCountLimit() {
        assertThat(put("42", attributes(300)).status()).isEqualTo(200);
        assertThat(put("43", attributes(301)).status()).isEqualTo(400);
    }

    @Test
    void attributeCountLimitAppliesToPerson() {
        put("42", attributes(300));

        SimulatorClient.Reply rejected = put("42", "{\"one_more\":1}");

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.json().path("meta").path("errors").get(0).asText()).contains("300");
    }

    private static String attributes(int count) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("\"a").append(i).append("\":").append(i);
        }
        return json.append('}').toString();
    }

    @Test
    void eventNameLimit() {
        assertThat(event("{\"name\":\"" + "e".repeat(100) + "\"}").status()).isEqualTo(200);
        assertThat(event("{\"name\":\"" + "e".repeat(101) + "\"}").status()).isEqualTo(400);
    }

    @Test
    void eventNameRequired() {
        SimulatorClient.Reply rejected = event("{\"data\":{}}");

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.json().path("meta").path("errors").get(0).asText()).contains("name");
    }

    @Test
    void eventDataLimit() {
        // {"k":"..."} adds 8 bytes around the value.
        String atLimit = "{\"name\":\"big\",\"data\":{\"k\":\"" + "x".repeat(100_000 - 8) + "\"}}";
        String overLimit = "{\"name\":\"big\",\"data\":{\"k\":\"" + "x".repeat(100_000 - 7) + "\"}}";

        assertThat(event(atLimit).status()).isEqualTo(200);
        SimulatorClient.Reply rejected = event(overLimit);

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.json().path("meta").path("errors").get(0).asText()).contains("100001 bytes");
    }

    @Test
    void malformedJsonIsRejected() {
        SimulatorClient.Reply rejected = put("42", "{\"plan\":");

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.json().path("meta").path("errors").isArray()).isTrue();
    }
}
