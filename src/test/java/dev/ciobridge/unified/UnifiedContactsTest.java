package dev.ciobridge.unified;

import static dev.ciobridge.unified.UnifiedTestSupport.assertError;
import static dev.ciobridge.unified.UnifiedTestSupport.call;
import static dev.ciobridge.unified.UnifiedTestSupport.header;
import static dev.ciobridge.unified.UnifiedTestSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ciobridge.sandbox.PersonSnapshot;
import dev.ciobridge.sandbox.SandboxWorkspace;
import dev.ciobridge.testing.RunningService;

/** Contacts against the embedded sandbox at Customer.io's real App API limit of 10 requests per second. */
class UnifiedContactsTest {

    private static final int PEOPLE = 2500;

    private static RunningService service;
    private static String account;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(UnifiedTestSupport.NO_CUSTOMER_IO, Map.of());
        account = UnifiedTestSupport.sandboxAccount(service, PEOPLE, 200);
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    void listPagesWithoutDuplicatesOrGaps() throws Exception {
        Set<String> cioIds = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String path = cursor == null ? path(account, "contacts", "limit", "100")
                    : path(account, "contacts", "limit", "100", "next_cursor", cursor);
            RunningService.Reply reply = call(service, "GET", path, null);
            assertThat(reply.status()).as(reply.text()).isEqualTo(200);
            JsonNode body = reply.json();
            assertThat(body.get("result_count").asInt()).isEqualTo(body.get("result").size());
            assertThat(body.get("result").size()).isLessThanOrEqualTo(100);
            for (JsonNode contact : body.get("result")) {
                String cioId = contact.get("remote_data").get("identifiers").get("cio_id").asText();
                assertThat(contact.get("first_name").asText()).as("first_name of " + cioId).isNotEmpty();
                assertThat(contact.get("custom_fields").has("plan")).as("plan of " + cioId).isTrue();
                order.add(cioId);
                assertThat(cioIds.add(cioId)).as("duplicate " + cioId).isTrue();
            }
            assertThat(header(reply, "ratelimit-limit")).isEqualTo("10");
            cursor = body.get("next_cursor").isNull() ? null : body.get("next_cursor").asText();
            pages++;
        } while (cursor != null);

        assertThat(cioIds).hasSize(PEOPLE);
        assertThat(pages).isBetween(25, 26);
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        Set<String> expected = new HashSet<>();
        for (PersonSnapshot person : workspace.people()) {
            expected.add(person.cioId());
        }
        assertThat(cioIds).isEqualTo(expected);
    }

    @Test
    void largeLimitUsesFewestCalls() throws Exception {
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        long before = workspace.requestsReceived();

        RunningService.Reply reply = call(service, "GET", path(account, "contacts", "limit", "2100", "attributes", "false"), null);

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.json().get("result_count").asInt()).isEqualTo(2100);
        assertThat(reply.json().get("result").get(0).get("first_name").isNull()).isTrue();
        assertThat(reply.json().get("result").get(0).get("remote_data").get("cio_id").asText()).isNotEmpty();
        // People search returns at most 1000 per call: 1000 + 1000 + 100.
        assertThat(workspace.requestsReceived() - before).isEqualTo(3);
        RunningService.Reply rest = call(service, "GET", path(account, "contacts", "limit", "1000", "attributes", "false",
                "next_cursor", reply.json().get("next_cursor").asText()), null);
        assertThat(rest.json().get("result_count").asInt()).isEqualTo(PEOPLE - 2100);
        assertThat(rest.json().get("next_cursor").isNull()).isTrue();
    }

    @Test
    void fullContactsCostOneAttributesCallPerHundred() throws Exception {
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        long before = workspace.requestsReceived();

        RunningService.Reply reply = call(service, "GET", path(account, "contacts", "limit", "250"), null);

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.json().get("result_count").asInt()).isEqualTo(250);
        // One search of 250, then the attributes of 100 + 100 + 50 people.
        assertThat(workspace.requestsReceived() - before).isEqualTo(4);
        JsonNode first = reply.json().get("result").get(0);
        JsonNode single = call(service, "GET", "/unified/marketing-automation/contacts/" + first.get("id").asText()
                + "?integrated_account_id=" + account, null).json();
        assertThat(first).isEqualTo(single);
        assertThat(call(service, "GET", path(account, "contacts", "attributes", "some"), null).status()).isEqualTo(400);
    }

    @Test
    void listFiltersByEmailAndSegment() throws Exception {
        JsonNode byEmail = call(service, "GET", path(account, "contacts", "email", "person7@example.com"), null).json();
        assertThat(byEmail.get("result_count").asInt()).isEqualTo(1);
        assertThat(byEmail.get("result").get(0).get("id").asText()).isEqualTo("user-7");
        assertThat(byEmail.get("result").get(0).get("email").asText()).isEqualTo("person7@example.com");

        JsonNode nobody = call(service, "GET", path(account, "contacts", "email", "nobody@example.com"), null).json();
        assertThat(nobody.get("result_count").asInt()).isZero();
        assertThat(nobody.get("next_cursor").isNull()).isTrue();

        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        int vip = vipSegment();
        Set<String> expected = new HashSet<>();
        workspace.segmentMembers(vip).forEach(person -> expected.add(person.cioId()));
        Set<String> listed = new HashSet<>();
        String cursor = null;
        do {
            String path = cursor == null ? path(account, "contacts", "segment_id", Integer.toString(vip), "limit", "20")
                    : path(account, "contacts", "segment_id", Integer.toString(vip), "limit", "20", "next_cursor", cursor);
            JsonNode page = call(service, "GET", path, null).json();
            page.get("result").forEach(contact -> listed.add(contact.get("remote_data").get("identifiers").get("cio_id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(expected).isNotEmpty();
        assertThat(listed).isEqualTo(expected);
    }

    @Test
    void cursorRejectsOtherFilterAndTampering() throws Exception {
        JsonNode first = call(service, "GET", path(account, "contacts", "limit", "10"), null).json();
        String cursor = first.get("next_cursor").asText();

        assertError(call(service, "GET", path(account, "contacts", "limit", "10", "segment_id", "1", "next_cursor", cursor), null),
                400, "next_cursor");
        assertError(call(service, "GET", path(account, "segments", "next_cursor", cursor), null), 400, "next_cursor");
        String tampered = cursor.substring(0, 5) + (cursor.charAt(5) == 'A' ? 'B' : 'A') + cursor.substring(6);
        assertError(call(service, "GET", path(account, "contacts", "next_cursor", tampered), null), 400, "next_cursor");
        assertError(call(service, "GET", path(account, "contacts", "next_cursor", "garbage"), null), 400, "next_cursor");

        String other = UnifiedTestSupport.sandboxAccount(service, 10, 0);
        assertError(call(service, "GET", path(other, "contacts", "next_cursor", cursor), null), 400, "another integrated account");
    }

    @Test
    void getReturnsUnifiedContact() throws Exception {
        RunningService.Reply reply = call(service, "GET", path(account, "contacts/user-12"), null);

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        JsonNode contact = reply.json();
        assertThat(contact.get("id").asText()).isEqualTo("user-12");
        assertThat(contact.get("email").asText()).isEqualTo("person12@example.com");
        assertThat(contact.get("first_name").asText()).isNotEmpty();
        assertThat(contact.get("status").asText()).isEqualTo("subscribed");
        assertThat(contact.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(contact.get("custom_fields").get("plan").asText()).isNotEmpty();
        assertThat(contact.get("custom_fields").has("email")).isFalse();
        assertThat(contact.get("remote_data").get("attributes").get("email").asText()).isEqualTo("person12@example.com");
        assertThat(header(reply, "ratelimit-limit")).isEqualTo("10");

        // Every twentieth seeded person has only an email; its contact id is cio_<cio_id>, which finds it again.
        String emailOnly = call(service, "GET", path(account, "contacts", "email", "person19@example.com"), null)
                .json().get("result").get(0).get("id").asText();
        assertThat(emailOnly).startsWith("cio_");
        assertThat(call(service, "GET", path(account, "contacts/" + emailOnly), null).json().get("email").asText())
                .isEqualTo("person19@example.com");
        assertThat(call(service, "GET", path(account, "contacts/person19%40example.com"), null).json().get("id").asText())
                .isEqualTo(emailOnly);
    }

    @Test
    void getUnknownContactCarriesRemoteError() throws Exception {
        JsonNode error = assertError(call(service, "GET", path(account, "contacts/no-such-person"), null), 404, "Customer.io");

        assertThat(error.get("remote_error").asBoolean()).isTrue();
        assertThat(error.get("remote_status").asInt()).isEqualTo(404);
        assertThat(error.get("remote_body").get("errors").get(0).get("detail").asText()).contains("no-such-person");
    }

    @Test
    void createUpdateAndDeleteThroughTrack() throws Exception {
        RunningService.Reply created = call(service, "POST", path(account, "contacts"), "{\"id\":\"u/42\",\"email\":"
                + "\"ada@example.com\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"phones\":[{\"phone\":\"+15550100\","
                + "\"type\":\"mobile\"}],\"created_at\":\"2026-01-02T03:04:05Z\",\"custom_fields\":{\"plan\":\"pro\",\"seats\":3}}");

        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode contact = created.json();
        assertThat(contact.get("id").asText()).isEqualTo("u/42");
        assertThat(contact.get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(contact.get("created_at").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(contact.get("custom_fields").get("seats").asInt()).isEqualTo(3);
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        PersonSnapshot person = workspace.person("u/42").orElseThrow();
        assertThat(person.email()).isEqualTo("ada@example.com");
        assertThat(person.attribute("plan")).isEqualTo("pro");
        assertThat(person.attribute("phone")).isEqualTo("+15550100");
        assertThat(person.attribute("created_at")).isEqualTo("1767323045");

        RunningService.Reply read = call(service, "GET", path(account, "contacts/u%2F42"), null);
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.json().get("phones").get(0).get("phone").asText()).isEqualTo("+15550100");
        assertThat(read.json().get("last_name").asText()).isEqualTo("Lovelace");

        RunningService.Reply updated = call(service, "PATCH", path(account, "contacts/u%2F42"),
                "{\"status\":\"unsubscribed\",\"custom_fields\":{\"plan\":\"enterprise\"}}");
        assertThat(updated.status()).as(updated.text()).isEqualTo(200);
        assertThat(updated.json().get("status").asText()).isEqualTo("unsubscribed");
        assertThat(workspace.person("u/42").orElseThrow().attribute("plan")).isEqualTo("enterprise");
        assertThat(workspace.person("u/42").orElseThrow().unsubscribed()).isTrue();

        RunningService.Reply patchUnknown = call(service, "PATCH", path(account, "contacts/nobody-yet"),
                "{\"first_name\":\"X\"}");
        assertThat(patchUnknown.status()).isEqualTo(200);
        assertThat(workspace.person("nobody-yet")).isEmpty();

        RunningService.Reply deleted = call(service, "DELETE", path(account, "contacts/u%2F42"), null);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(deleted.json().get("id").asText()).isEqualTo("u/42");
        assertThat(workspace.person("u/42")).isEmpty();
    }

    @Test
    void patchRejectsChangeOfAddressingIdentifier() throws Exception {
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        long before = workspace.requestsReceived();

        JsonNode byId = assertError(call(service, "PATCH", path(account, "contacts/user-42"),
                "{\"email\":\"x@example.com\",\"id\":\"u_43\"}"), 400, "'id'");
        JsonNode byEmail = assertError(call(service, "PATCH", path(account, "contacts/person3%40example.com"),
                "{\"email\":\"new3@example.com\"}"), 400, "'email'");

        assertThat(byId.get("message").asText()).contains("contacts/cio_<cio_id>");
        assertThat(byEmail.get("message").asText()).contains("contacts/cio_<cio_id>");
        assertThat(workspace.requestsReceived()).isEqualTo(before);
        assertThat(workspace.person("user-42").orElseThrow().email()).isEqualTo("person42@example.com");
        assertThat(workspace.person("u_43")).isEmpty();
        assertThat(workspace.person("person3@example.com").orElseThrow().id()).isEqualTo("user-3");
    }

    @Test
    void patchReturnsRealIdAfterWrite() throws Exception {
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);

        // Addressed by id, the same id and a new email are accepted: Customer.io changes the email.
        RunningService.Reply byId = call(service, "PATCH", path(account, "contacts/user-45"),
                "{\"id\":\"user-45\",\"email\":\"moved45@example.com\"}");
        assertThat(byId.status()).as(byId.text()).isEqualTo(200);
        assertThat(byId.json().get("id").asText()).isEqualTo("user-45");
        assertThat(workspace.person("user-45").orElseThrow().email()).isEqualTo("moved45@example.com");

        // Addressed by email, the contact id is not known from the request, so it is null and never the email.
        RunningService.Reply byEmail = call(service, "PATCH", path(account, "contacts/PERSON46%40example.com"),
                "{\"email\":\"person46@example.com\",\"first_name\":\"Grace\"}");
        assertThat(byEmail.status()).as(byEmail.text()).isEqualTo(200);
        assertThat(byEmail.json().get("id").isNull()).as(byEmail.text()).isTrue();
        assertThat(byEmail.json().get("email").asText()).isEqualTo("person46@example.com");
        assertThat(workspace.person("user-46").orElseThrow().attribute("first_name")).isEqualTo("Grace");

        RunningService.Reply withoutEmail = call(service, "PATCH", path(account, "contacts/person47%40example.com"),
                "{\"last_name\":\"Hopper\"}");
        assertThat(withoutEmail.status()).as(withoutEmail.text()).isEqualTo(200);
        assertThat(withoutEmail.json().get("id").isNull()).as(withoutEmail.text()).isTrue();
        assertThat(withoutEmail.json().get("email").asText()).isEqualTo("person47@example.com");
    }

    @Test
    void patchByCioIdChangesIdAndEmail() throws Exception {
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        String cioId = workspace.person("user-48").orElseThrow().cioId();

        RunningService.Reply patched = call(service, "PATCH", path(account, "contacts/cio_" + cioId),
                "{\"id\":\"user-48-renamed\",\"email\":\"renamed48@example.com\"}");

        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().get("id").asText()).isEqualTo("user-48-renamed");
        assertThat(patched.json().get("email").asText()).isEqualTo("renamed48@example.com");
        assertThat(workspace.person("user-48")).isEmpty();
        RunningService.Reply read = call(service, "GET", path(account, "contacts/user-48-renamed"), null);
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        assertThat(read.json().get("email").asText()).isEqualTo("renamed48@example.com");
        assertThat(read.json().get("remote_data").get("identifiers").get("cio_id").asText()).isEqualTo(cioId);
    }

    @Test
    void textWithNulOrLoneSurrogateIsRejected() throws Exception {
        String[][] cases = {
                {"{\"id\":\"a\",\"first_name\":\"A\\u0000B\"}", "'first_name'"},
                {"{\"id\":\"a\",\"last_name\":\"\\ud800\"}", "'last_name'"},
                {"{\"id\":\"a\",\"custom_fields\":{\"plan\":\"x\\udc00y\"}}", "'custom_fields.plan'"},
                {"{\"id\":\"a\",\"custom_fields\":{\"tags\":[\"ok\",\"\\u0000\"]}}", "'custom_fields.tags[1]'"},
                {"{\"id\":\"a\\u0000\"}", "'id'"},
        };
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        long before = workspace.requestsReceived();
        for (String[] testCase : cases) {
            assertError(call(service, "POST", path(account, "contacts"), testCase[0]), 400, testCase[1]);
        }
        assertError(call(service, "POST", path(account, "contacts"), "{\"id\":\"a\",\"custom_fields\":{\"a\\u0000\":1}}"),
                400, "field name");
        assertThat(workspace.requestsReceived()).isEqualTo(before);

        // A pair of surrogates is one valid character and is kept.
        RunningService.Reply emoji = call(service, "PATCH", path(account, "contacts/user-49"),
                "{\"first_name\":\"\\ud83d\\ude00\"}");
        assertThat(emoji.status()).as(emoji.text()).isEqualTo(200);
        assertThat(workspace.person("user-49").orElseThrow().attribute("first_name")).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void emptyQueryValuesAreRejected() throws Exception {
        assertError(call(service, "GET", path(account, "contacts", "email", ""), null), 400, "'email'");
        assertError(call(service, "GET", path(account, "contacts", "next_cursor", ""), null), 400, "'next_cursor'");
        assertError(call(service, "GET", path(account, "contacts", "segment_id", ""), null), 400, "'segment_id'");
        assertError(call(service, "GET", path(account, "contacts/user-1", "id_type", ""), null), 400, "'id_type'");
    }

    @Test
    void badBodiesNameTheField() throws Exception {
        String longName = "x".repeat(1001);
        String[][] cases = {
                {"{\"first_name\":\"A\"}", "'id' or 'email'"},
                {"{\"id\":\"" + "i".repeat(151) + "\"}", "'id'"},
                {"{\"email\":\"not-an-email\"}", "'email'"},
                {"{\"id\":\"a\",\"first_name\":\"" + longName + "\"}", "'first_name'"},
                {"{\"id\":\"a\",\"created_at\":\"yesterday\"}", "'created_at'"},
                {"{\"id\":\"a\",\"status\":\"gone\"}", "'status'"},
                {"{\"id\":\"a\",\"phones\":[{\"phone\":\"1\"},{\"phone\":\"2\"}]}", "'phones'"},
                {"{\"id\":\"a\",\"custom_fields\":{\"email\":\"x@example.com\"}}", "'custom_fields.email'"},
                {"{\"id\":\"a\",\"custom_fields\":{\"_update\":true}}", "'custom_fields._update'"},
                {"{\"id\":\"a\",\"colour\":\"red\"}", "'colour'"},
                {"[1]", "JSON object"},
                {"{\"id\":", "Malformed JSON"},
        };
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        long before = workspace.requestsReceived();
        for (String[] testCase : cases) {
            assertError(call(service, "POST", path(account, "contacts"), testCase[0]), 400, testCase[1]);
        }
        assertThat(workspace.requestsReceived()).isEqualTo(before);
    }

    private static int vipSegment() throws Exception {
        for (JsonNode segment : call(service, "GET", path(account, "segments"), null).json().get("result")) {
            if (segment.get("name").asText().equals("VIP")) {
                return segment.get("id").asInt();
            }
        }
        throw new AssertionError("The sandbox has no VIP segment");
    }
}
