package dev.ciobridge.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrackApiContractTest {

    private static final String PERSON_EVENT_BATCH = """
            {"batch":[{"type":"person","identifiers":{"id":"42"},"action":"event","name":"purchase",\
            "id":"01HB4HBDKTFWYZCK01DMRSWRFD","timestamp":1700000000,"attributes":{"sku":"s1"}}]}""";

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> jsonHeaders(String authorization) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return headers;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Tests against Customer.io's own description, skipped when -Dcio.openapi.dir is not set. */
    @Nested
    class CustomerIoTrackApi {

        private final Map<String, String> headers = jsonHeaders(basic("site-1:key-1"));

        private List<String> post(String path, String body) {
            return TrackApiContract.require().violations("POST", path, headers, utf8(body));
        }

        @Test
        void batchWithPersonEventConforms() {
            assertThat(post("/api/v2/batch", PERSON_EVENT_BATCH)).isEmpty();
        }

        @Test
        void batchItemWithoutIdentifiersGivesOneViolation() {
            String body = PERSON_EVENT_BATCH.replace("\"identifiers\":{\"id\":\"42\"},", "");

            assertThat(post("/api/v2/batch", body)).singleElement().asString()
                    .startsWith("body /batch/0: ")
                    .contains("required property 'identifiers' not found")
                    .contains("#/components/schemas/person_common/required");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', textBlock = """
                "timestamp":1700000000      | "timestamp":"1700000000"      | /batch/0/timestamp ("1700000000"): string found, integer expected
                "timestamp":1700000000      | "timestamp":1700000000.5      | /batch/0/timestamp (1.7000000005E9): number found, integer expected
                "name":"purchase"           | "name":5                      | /batch/0/name (5): integer found, string expected
                "identifiers":{"id":"42"}   | "identifiers":"42"            | /batch/0/identifiers ("42"): string found, object expected
                "identifiers":{"id":"42"}   | "identifiers":{"id":42}       | /batch/0/identifiers/id (42): integer found, string expected
                """)
        void batchItemWithWronglyTypedFieldIsReported(String valid, String invalid, String expected) {
            assertThat(post("/api/v2/batch", PERSON_EVENT_BATCH.replace(valid, invalid)))
                    .anySatisfy(violation -> assertThat(violation).startsWith("body " + expected));
        }

        @Test
        void eachBatchItemIsMatchedOnItsOwn() {
            // The items are different variants, so errors of one must not pick the closest schema of the other.
            String eventWithoutIdentifiers = "{\"type\":\"person\",\"action\":\"event\",\"name\":\"purchase\"}";
            String identifyWithStringIdentifiers =
                    "{\"type\":\"person\",\"identifiers\":\"42\",\"action\":\"identify\",\"attributes\":{}}";
            String body = "{\"batch\":[" + eventWithoutIdentifiers + "," + identifyWithStringIdentifiers + "]}";

            List<String> violations = post("/api/v2/batch", body);

            assertThat(violations).filteredOn(violation -> violation.startsWith("body /batch/0")).containsExactly(
                    "body /batch/0: required property 'identifiers' not found "
                            + "(schema #/components/schemas/person_common/required)");
            assertThat(violations).filteredOn(violation -> !violation.startsWith("body /batch/0"))
                    .isNotEmpty()
                    .allSatisfy(violation -> assertThat(violation).startsWith("body /batch/1/identifiers (\"42\"): "));
        }

        @Test
        void batchItemWithTwoIdentifiersIsReported() {
            // identifiers is a oneOf of {id}, {email}, {phone} and {cio_id}, so sending both id and email fails.
            String body = PERSON_EVENT_BATCH.replace("{\"id\":\"42\"}", "{\"id\":\"42\",\"email\":\"a@example.com\"}");

            assertThat(post("/api/v2/batch", body))
                    .anySatisfy(violation -> assertThat(violation).startsWith("body /batch/0/identifiers: ")
                            .contains("must be valid to one and only one schema, but 2 are valid"));
        }

        @Test
        void customerEventWithEncodedSlashInIdentifierConforms() {
            assertThat(post("/api/v1/customers/org%2F42/events", "{\"name\":\"x\",\"data\":{}}")).isEmpty();
        }

        @Test
        void customerEventWithoutNameIsReported() {
            assertThat(post("/api/v1/customers/42/events", "{\"data\":{}}"))
                    .anySatisfy(violation -> assertThat(violation).contains("required property 'name' not found"));
        }

        @Test
        void literalSlashInIdentifierMatchesNoOperation() {
            assertThat(post("/api/v1/customers/org/42/events", "{\"name\":\"x\"}")).containsExactly(
                    "no operation for POST /api/v1/customers/org/42/events: the path matches no path template");
        }

        @Test
        void rawSpaceInIdentifierIsReported() {
            assertThat(post("/api/v1/customers/org 42/events", "{\"name\":\"x\"}")).singleElement().asString()
                    .contains("path parameter {identifier}")
                    .contains("'org 42'");
        }

        @Test
        void queryStringIsIgnoredWhenMatchingThePath() {
            assertThat(post("/api/v2/batch?trace=1", PERSON_EVENT_BATCH)).isEmpty();
        }

        @Test
        void unknownPathIsReported() {
            assertThat(post("/api/v3/batch", PERSON_EVENT_BATCH))
                    .containsExactly("no operation for POST /api/v3/batch: the path matches no path template");
        }

        @Test
        void knownPathWithUndefinedMethodIsReported() {
            assertThat(TrackApiContract.require().violations("GET", "/api/v2/batch", headers, null))
                    .containsExactly("no operation for GET /api/v2/batch: the matching templates only define "
                            + "POST /api/v2/batch");
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"Bearer key-1", "Basic", "Basic not*base64", "Basic c2l0ZS0x", "Basic OmtleS0x"})
        void wrongAuthorizationIsReported(String authorization) {
            // c2l0ZS0x is "site-1" (no password), OmtleS0x is ":key-1" (no user).
            List<String> violations = TrackApiContract.require()
                    .violations("POST", "/api/v2/batch", jsonHeaders(authorization), utf8(PERSON_EVENT_BATCH));

            assertThat(violations).singleElement().asString()
                    .startsWith("security scheme 'Tracking-API-Key' (HTTP Basic): ");
        }

        @Test
        void authorizationSchemeNameIsCaseInsensitive() {
            List<String> violations = TrackApiContract.require().violations(
                    "POST", "/api/v2/batch", jsonHeaders("basic c2l0ZS0xOmtleS0x"), utf8(PERSON_EVENT_BATCH));

            assertThat(violations).isEmpty();
        }

        @Test
        void operationWithEmptySecurityNeedsNoAuthorization() {
            List<String> violations = TrackApiContract.require().violations(
                    "POST", "/unsubscribe/abc", jsonHeaders(null), utf8("{\"unsubscribe\":true}"));

            assertThat(violations).isEmpty();
        }

        @Test
        void nonJsonContentTypeIsReported() {
            // A lower-case header name also checks that header names are matched ignoring case.
            Map<String, String> textHeaders =
                    Map.of("Authorization", basic("site-1:key-1"), "content-type", "text/plain");

            assertThat(TrackApiContract.require().violations(
                            "POST", "/api/v2/batch", textHeaders, utf8(PERSON_EVENT_BATCH)))
                    .containsExactly("Content-Type 'text/plain' is not a body type of POST /api/v2/batch, which "
                            + "takes [application/json]");
        }

        @Test
        void jsonContentTypeWithCharsetConforms() {
            Map<String, String> charsetHeaders = new HashMap<>(headers);
            charsetHeaders.put("Content-Type", "application/json; charset=utf-8");

            assertThat(TrackApiContract.require().violations(
                    "POST", "/api/v2/batch", charsetHeaders, utf8(PERSON_EVENT_BATCH))).isEmpty();
        }

        @Test
        void malformedJsonBodyIsReported() {
            assertThat(post("/api/v2/batch", "{\"batch\":[}")).singleElement().asString()
                    .startsWith("the request body is not valid JSON: ");
        }

        @Test
        void bodyOnOperationWithoutRequestBodyIsReported() {
            assertThat(post("/api/v1/customers/42/suppress", "{}"))
                    .containsExactly("POST /api/v1/customers/{identifier}/suppress defines no request body, but the "
                            + "request has 2 bytes");
        }
    }

    @Test
    void locateReturnsEmptyForUnsetOrBlankFolder() {
        assertThat(TrackApiContract.locate(null)).isEmpty();
        assertThat(TrackApiContract.locate("")).isEmpty();
        assertThat(TrackApiContract.locate("  ")).isEmpty();
    }

    @Test
    void locateResolvesTheFileInsideTheFolder(@TempDir Path folder) {
        assertThat(TrackApiContract.locate(folder.toString()))
                .contains(folder.resolve("track-api.json").toAbsolutePath().normalize());
    }

    @Test
    void loadRejectsOpenApi30Document(@TempDir Path folder) throws IOException {
        Path file = Files.writeString(folder.resolve("track-api.json"), "{\"openapi\":\"3.0.3\",\"paths\":{}}");

        assertThatThrownBy(() -> TrackApiContract.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an OpenAPI 3.1 document");
    }

    /**
     * A small OpenAPI 3.1 document written for these tests: a global HTTP Basic requirement, a public operation,
     * a request body behind two $refs, and a concrete path next to a templated one.
     */
    private static final String SAMPLE_DOCUMENT = """
            {
              "openapi": "3.1.0",
              "info": {"title": "sample", "version": "1"},
              "security": [{"basic": []}],
              "paths": {
                "/things/{thing_id}": {
                  "put": {"requestBody": {"$ref": "#/components/requestBodies/Thing"}}
                },
                "/things/special": {
                  "put": {
                    "security": [],
                    "requestBody": {
                      "required": true,
                      "content": {"application/json": {"schema": {"type": "object", "required": ["flag"]}}}
                    }
                  }
                }
              },
              "components": {
                "securitySchemes": {"basic": {"type": "http", "scheme": "basic"}},
                "requestBodies": {
                  "Thing": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
                },
                "schemas": {
                  "Thing": {
                    "type": "object",
                    "required": ["size"],
                    "properties": {"size": {"type": "integer", "minimum": 1}}
                  }
                }
              }
            }
            """;

    private static TrackApiContract sampleContract(Path folder) throws IOException {
        return TrackApiContract.load(Files.writeString(folder.resolve("sample.json"), SAMPLE_DOCUMENT));
    }

    @Test
    void sampleReferencedBodySchemaConforms(@TempDir Path folder) throws IOException {
        TrackApiContract contract = sampleContract(folder);

        assertThat(contract.violations("PUT", "/things/7", jsonHeaders(basic("u:p")), utf8("{\"size\":2}")))
                .isEmpty();
    }

    @Test
    void sampleGlobalSecurityAndSchemaAreChecked(@TempDir Path folder) throws IOException {
        TrackApiContract contract = sampleContract(folder);

        assertThat(contract.violations("PUT", "/things/7", jsonHeaders(null), utf8("{\"size\":0}"))).containsExactly(
                "security scheme 'basic' (HTTP Basic): no Authorization header",
                "body /size (0): must have a minimum value of 1 "
                        + "(schema #/components/schemas/Thing/properties/size/minimum)");
    }

    @Test
    void sampleConcretePathWinsOverTemplate(@TempDir Path folder) throws IOException {
        TrackApiContract contract = sampleContract(folder);

        // /things/{thing_id} would need Basic credentials and a "size".
        assertThat(contract.violations("PUT", "/things/special", jsonHeaders(null), utf8("{\"flag\":true}")))
                .isEmpty();
    }

    @Test
    void sampleMissingRequiredBodyIsReported(@TempDir Path folder) throws IOException {
        TrackApiContract contract = sampleContract(folder);

        assertThat(contract.violations("PUT", "/things/special", jsonHeaders(null), null))
                .containsExactly("PUT /things/special requires a request body, but the request has none");
    }

    @Test
    void assertConformsChecksRequestsRecordedByWireMock(@TempDir Path folder) throws Exception {
        TrackApiContract contract = sampleContract(folder);
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        try {
            server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
            HttpClient client = HttpClient.newHttpClient();
            URI things = URI.create(server.baseUrl() + "/things/a%2Fb?x=1");
            client.send(HttpRequest.newBuilder(things)
                            .header("Authorization", basic("site:secret-key"))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"size\":3}"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            client.send(HttpRequest.newBuilder(things)
                            .header("Authorization", "Bearer secret-token")
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"size\":\"big\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());

            List<LoggedRequest> requests = server.findAll(anyRequestedFor(anyUrl()));
            assertThat(requests).hasSize(2);
            assertThatCode(() -> contract.assertConforms(requests.get(0))).doesNotThrowAnyException();
            assertThatThrownBy(() -> contract.assertConforms(requests.get(1)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("security scheme 'basic' (HTTP Basic): the Authorization header uses "
                            + "scheme 'Bearer' instead of 'Basic'")
                    .hasMessageContaining("body /size (\"big\"): string found, integer expected")
                    .hasMessageContaining("Request: PUT /things/a%2Fb?x=1")
                    .hasMessageContaining("Authorization: Bearer <hidden>")
                    .hasMessageNotContaining("secret-token")
                    .hasMessageContaining("{\"size\":\"big\"}");
        } finally {
            server.stop();
        }
    }
}
