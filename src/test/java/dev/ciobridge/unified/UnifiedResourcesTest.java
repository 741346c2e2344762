package dev.ciobridge.unified;

import static dev.ciobridge.unified.UnifiedTestSupport.assertError;
import static dev.ciobridge.unified.UnifiedTestSupport.call;
import static dev.ciobridge.unified.UnifiedTestSupport.header;
import static dev.ciobridge.unified.UnifiedTestSupport.path;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ciobridge.sandbox.EventRecord;
import dev.ciobridge.sandbox.SandboxWorkspace;
import dev.ciobridge.testing.RunningService;

/** Segments, campaigns, messages, templates, users, workspaces and events against the embedded sandbox. */
class UnifiedResourcesTest {

    private static RunningService service;
    private static String account;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(UnifiedTestSupport.NO_CUSTOMER_IO, Map.of());
        account = UnifiedTestSupport.sandboxAccount(service, 200, 600);
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    void segmentsLifecycleAndMembers() throws Exception {
        JsonNode listed = call(service, "GET", path(account, "segments"), null).json();
        assertThat(listed.get("result_count").asInt()).isGreaterThanOrEqualTo(4);

        RunningService.Reply created = call(service, "POST", path(account, "segments"),
                "{\"name\":\"Beta testers\",\"description\":\"Opted in\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().get("type").asText()).isEqualTo("manual");
        assertThat(created.json().get("name").asText()).isEqualTo("Beta testers");

        RunningService.Reply added = call(service, "POST", path(account, "segments/" + id + "/contacts"),
                "{\"id_type\":\"email\",\"ids\":[\"person1@example.com\",\"person2@example.com\"]}");
        assertThat(added.status()).as(added.text()).isEqualTo(200);
        assertThat(added.json().get("ids_submitted").asInt()).isEqualTo(2);
        assertThat(added.json().get("id_type").asText()).isEqualTo("email");
        call(service, "POST", path(account, "segments/" + id + "/contacts"), "{\"ids\":[\"user-3\"]}");
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        assertThat(workspace.segmentMembers(Integer.parseInt(id))).hasSize(3);

        JsonNode members = call(service, "GET", path(account, "contacts", "segment_id", id), null).json();
        assertThat(members.get("result_count").asInt()).isEqualTo(3);

        RunningService.Reply removed = call(service, "DELETE", path(account, "segments/" + id + "/contacts"),
                "{\"id_type\":\"id\",\"ids\":[\"user-3\"]}");
        assertThat(removed.status()).as(removed.text()).isEqualTo(200);
        assertThat(removed.json().get("ids_submitted").asInt()).isEqualTo(1);
        assertThat(workspace.segmentMembers(Integer.parseInt(id))).hasSize(2);

        JsonNode fetched = call(service, "GET", path(account, "segments/" + id), null).json();
        assertThat(fetched.get("description").asText()).isEqualTo("Opted in");

        RunningService.Reply deleted = call(service, "DELETE", path(account, "segments/" + id), null);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(deleted.json().get("id").asText()).isEqualTo(id);
        JsonNode deletedSegment = assertError(call(service, "GET", path(account, "segments/" + id), null), 404, "Customer.io");
        assertThat(deletedSegment.get("remote_error").asBoolean()).isTrue();
    }

    @Test
    void segmentMembersAreSentOnce() throws Exception {
        String id = call(service, "POST", path(account, "segments"), "{\"name\":\"Repeat members\"}").json().get("id").asText();
        StringBuilder ids = new StringBuilder("[");
        for (int i = 0; i < 2500; i++) {
            ids.append("\"user-").append(i % 100).append("\",");
        }
        ids.append("\"no-such-person\"]");
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        long before = workspace.requestsReceived();

        RunningService.Reply added = call(service, "POST", path(account, "segments/" + id + "/contacts"),
                "{\"ids\":" + ids + "}");

        assertThat(added.status()).as(added.text()).isEqualTo(200);
        assertThat(added.json().get("id").asText()).isEqualTo(id);
        assertThat(added.json().get("id_type").asText()).isEqualTo("id");
        assertThat(added.json().get("ids_submitted").asInt()).isEqualTo(101);
        assertThat(added.json().has("added")).isFalse();
        // 101 distinct ids fit in one add_customers call of at most 1000; 2501 would need three.
        assertThat(workspace.requestsReceived() - before).isEqualTo(1);
        // Every twentieth seeded person has no id, so 95 of the first 100 ids name a person.
        assertThat(workspace.segmentMembers(Integer.parseInt(id))).hasSize(95);

        RunningService.Reply byEmail = call(service, "DELETE", path(account, "segments/" + id + "/contacts"),
                "{\"id_type\":\"email\",\"ids\":[\"Person1@example.com\",\"person1@example.com\",\"person2@example.com\"]}");
        assertThat(byEmail.status()).as(byEmail.text()).isEqualTo(200);
        assertThat(byEmail.json().get("ids_submitted").asInt()).isEqualTo(2);
        assertThat(workspace.segmentMembers(Integer.parseInt(id))).hasSize(93);
    }

    @Test
    void segmentInputIsChecked() throws Exception {
        assertError(call(service, "POST", path(account, "segments"), "{\"description\":\"x\"}"), 400, "Missing field 'name'");
        assertError(call(service, "POST", path(account, "segments"), "{\"name\":123}"), 400, "'name' must be a string");
        assertError(call(service, "POST", path(account, "segments"), "{\"name\":\" \"}"), 400, "'name'");
        assertError(call(service, "POST", path(account, "segments"), "{\"name\":\"x\",\"kind\":\"manual\"}"), 400, "'kind'");
        assertError(call(service, "GET", path(account, "segments/abc"), null), 400, "segment id");
        assertError(call(service, "POST", path(account, "segments/1/contacts"), "{\"ids\":[]}"), 400, "'ids'");
        assertError(call(service, "POST", path(account, "segments/1/contacts"), "{\"id_type\":\"phone\",\"ids\":[\"1\"]}"),
                400, "'id_type'");
        assertError(call(service, "POST", path(account, "segments/1/contacts"),
                "{\"id_type\":\"email\",\"ids\":[\"a@example.com\",\"nope\"]}"), 400, "'ids[1]'");
        // Segment 1 is data-driven: Customer.io rejects members, and its error comes through.
        JsonNode dynamic = assertError(call(service, "POST", path(account, "segments/1/contacts"), "{\"ids\":[\"user-1\"]}"),
                400, "Customer.io");
        assertThat(dynamic.get("remote_error").asBoolean()).isTrue();
        assertThat(dynamic.get("remote_body").toString()).contains("data-driven");
    }

    @Test
    void campaignsListAndGetWithMetrics() throws Exception {
        JsonNode listed = call(service, "GET", path(account, "campaigns", "limit", "3"), null).json();
        assertThat(listed.get("result_count").asInt()).isEqualTo(3);
        List<String> ids = new ArrayList<>();
        listed.get("result").forEach(campaign -> ids.add(campaign.get("id").asText()));
        JsonNode rest = call(service, "GET", path(account, "campaigns", "limit", "100",
                "next_cursor", listed.get("next_cursor").asText()), null).json();
        rest.get("result").forEach(campaign -> ids.add(campaign.get("id").asText()));
        assertThat(ids).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
        assertThat(rest.get("next_cursor").isNull()).isTrue();

        JsonNode campaign = call(service, "GET", path(account, "campaigns/2"), null).json();
        assertThat(campaign.get("name").asText()).isEqualTo("Campaign 2");
        assertThat(campaign.get("status").asText()).isNotEmpty();
        assertThat(campaign.get("created_at").asText()).endsWith("Z");
        assertThat(campaign.get("metrics").get("sent").asLong()).isPositive();
        assertThat(campaign.get("remote_data").get("metrics").get("metric").get("series").isObject()).isTrue();
        assertError(call(service, "GET", path(account, "campaigns/999"), null), 404, "Customer.io");
    }

    @Test
    void messagesFilterAndPage() throws Exception {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        do {
            String query = cursor == null ? path(account, "messages", "campaign_id", "3", "limit", "25")
                    : path(account, "messages", "campaign_id", "3", "limit", "25", "next_cursor", cursor);
            JsonNode page = call(service, "GET", query, null).json();
            for (JsonNode message : page.get("result")) {
                assertThat(message.get("campaign_id").asText()).isEqualTo("3");
                assertThat(ids.add(message.get("id").asText())).isTrue();
            }
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(ids).isNotEmpty();

        JsonNode opened = call(service, "GET", path(account, "messages", "metric", "opened", "limit", "50"), null).json();
        for (JsonNode message : opened.get("result")) {
            assertThat(message.get("metrics").has("opened")).isTrue();
        }
        JsonNode all = call(service, "GET", path(account, "messages", "limit", "1000"), null).json();
        assertThat(all.get("result_count").asInt()).isEqualTo(UnifiedTestSupport.workspace(service, account).deliveryCount());
        String middle = all.get("result").get(300).get("created_at").asText();
        JsonNode recent = call(service, "GET", path(account, "messages", "created_after", middle, "limit", "1000"), null).json();
        assertThat(recent.get("result_count").asInt()).isBetween(1, 599);
        for (JsonNode message : recent.get("result")) {
            assertThat(Instant.parse(message.get("created_at").asText())).isAfterOrEqualTo(Instant.parse(middle));
        }

        String id = all.get("result").get(0).get("id").asText();
        JsonNode single = call(service, "GET", path(account, "messages/" + id), null).json();
        assertThat(single.get("id").asText()).isEqualTo(id);
        assertThat(single.get("recipient").asText()).contains("@example.com");
        assertError(call(service, "GET", path(account, "messages", "type", "carrier_pigeon"), null), 400, "'type'");
        assertError(call(service, "GET", path(account, "messages", "metric", "liked"), null), 400, "'metric'");
        assertError(call(service, "GET", path(account, "messages", "created_after", "soon"), null), 400, "'created_after'");
        assertError(call(service, "GET", path(account, "messages", "campaign", "3"), null), 400, "'campaign'");
        assertError(call(service, "GET", path(account, "messages/no-such-delivery"), null), 404, "Customer.io");
    }

    @Test
    void transactionalSendCreatesMessage() throws Exception {
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        int before = workspace.transactionalDeliveries().size();

        RunningService.Reply sent = call(service, "POST", path(account, "messages"), "{\"template_id\":\"password_reset\","
                + "\"to\":\"person4@example.com\",\"contact\":{\"id\":\"user-4\"},\"data\":{\"token\":\"abc\"}}");

        assertThat(sent.status()).as(sent.text()).isEqualTo(201);
        assertThat(sent.json().get("status").asText()).isEqualTo("queued");
        assertThat(sent.json().get("contact_id").asText()).isEqualTo("user-4");
        assertThat(workspace.transactionalDeliveries()).hasSize(before + 1);
        String id = sent.json().get("id").asText();
        JsonNode read = call(service, "GET", path(account, "messages/" + id), null).json();
        assertThat(read.get("recipient").asText()).isEqualTo("person4@example.com");

        assertError(call(service, "POST", path(account, "messages"), "{\"template_id\":1,\"contact\":{\"id\":\"user-4\"}}"),
                400, "'to'");
        assertError(call(service, "POST", path(account, "messages"), "{\"template_id\":1,\"to\":\"a@example.com\","
                + "\"contact\":{\"id\":\"1\",\"email\":\"a@example.com\"}}"), 400, "'contact'");
        assertError(call(service, "POST", path(account, "messages"), "{\"channel\":\"fax\",\"to\":\"1\",\"contact\":{\"id\":\"1\"}}"),
                400, "'channel'");
        JsonNode unknown = assertError(call(service, "POST", path(account, "messages"),
                "{\"template_id\":\"no_such_template\",\"to\":\"a@example.com\",\"contact\":{\"id\":\"user-4\"}}"), 404, "Customer.io");
        assertThat(unknown.get("remote_body").get("meta").get("error").asText()).contains("no_such_template");
        assertThat(workspace.transactionalDeliveries()).hasSize(before + 1);
    }

    @Test
    void sendWithoutTemplateNeedsOwnContent() throws Exception {
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        int before = workspace.transactionalDeliveries().size();

        assertError(call(service, "POST", path(account, "messages"),
                "{\"to\":\"person4@example.com\",\"contact\":{\"id\":\"user-4\"}}"), 400, "'template_id'");
        JsonNode noFrom = assertError(call(service, "POST", path(account, "messages"), "{\"to\":\"person4@example.com\","
                + "\"contact\":{\"id\":\"user-4\"},\"subject\":\"Hi\",\"body\":\"<p>Hi</p>\"}"), 400, "'template_id'");
        assertThat(noFrom.get("message").asText()).contains("[from]");
        assertError(call(service, "POST", path(account, "messages"), "{\"channel\":\"sms\",\"to\":\"+15550100\","
                + "\"contact\":{\"id\":\"user-4\"},\"body\":\"Hi\"}"), 400, "'template_id'");
        assertThat(workspace.transactionalDeliveries()).hasSize(before);

        RunningService.Reply own = call(service, "POST", path(account, "messages"), "{\"to\":\"person4@example.com\","
                + "\"contact\":{\"id\":\"user-4\"},\"subject\":\"Hi\",\"body\":\"<p>Hi</p>\",\"from\":\"team@example.com\"}");
        assertThat(own.status()).as(own.text()).isEqualTo(201);
        assertThat(own.json().get("template_id").isNull()).isTrue();
        assertThat(workspace.transactionalDeliveries()).hasSize(before + 1);
    }

    @Test
    void templatesUsersAndWorkspaces() throws Exception {
        JsonNode templates = call(service, "GET", path(account, "templates"), null).json();
        assertThat(templates.get("result_count").asInt()).isEqualTo(5);
        JsonNode template = call(service, "GET", path(account, "templates/1"), null).json();
        assertThat(template.get("name").asText()).isEqualTo("password_reset");
        assertThat(template.get("contents").get(0).get("subject").asText()).isNotEmpty();
        assertThat(template.get("contents").get(0).get("body").asText()).contains("{{customer.first_name}}");

        List<String> users = new ArrayList<>();
        String cursor = null;
        do {
            String query = cursor == null ? path(account, "users", "limit", "5") : path(account, "users", "limit", "5", "next_cursor", cursor);
            JsonNode page = call(service, "GET", query, null).json();
            page.get("result").forEach(user -> users.add(user.get("email").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(users).hasSize(12).doesNotHaveDuplicates();
        JsonNode user = call(service, "GET", path(account, "users/7"), null).json();
        assertThat(user.get("email").asText()).isEqualTo("sender7@example.com");
        assertError(call(service, "GET", path(account, "users/99"), null), 404, "sender identity");

        JsonNode workspaces = call(service, "GET", path(account, "workspaces"), null).json();
        assertThat(workspaces.get("result_count").asInt()).isEqualTo(1);
        String workspaceId = workspaces.get("result").get(0).get("id").asText();
        JsonNode workspace = call(service, "GET", path(account, "workspaces/" + workspaceId), null).json();
        assertThat(workspace.get("name").asText()).isEqualTo("Unified");
        assertThat(workspace.get("remote_data").get("people").asInt()).isEqualTo(200);
        assertError(call(service, "GET", path(account, "workspaces/1" + workspaceId), null), 404, "workspace");
    }

    @Test
    void eventsForPersonAndAnonymous() throws Exception {
        RunningService.Reply tracked = call(service, "POST", path(account, "events"),
                "{\"name\":\"report_exported\",\"contact\":{\"id\":\"user-5\"},\"data\":{\"rows\":12},"
                        + "\"timestamp\":1767225600}");
        assertThat(tracked.status()).as(tracked.text()).isEqualTo(201);
        assertThat(tracked.json().get("timestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(tracked.json().get("id").asText()).hasSize(26);
        SandboxWorkspace workspace = UnifiedTestSupport.workspace(service, account);
        List<EventRecord> events = workspace.events("user-5");
        assertThat(events).extracting(EventRecord::name).contains("report_exported");

        RunningService.Reply anonymous = call(service, "POST", path(account, "events"),
                "{\"name\":\"signup_started\",\"anonymous_id\":\"anon-77\"}");
        assertThat(anonymous.status()).as(anonymous.text()).isEqualTo(201);
        assertThat(workspace.anonymousEvents()).extracting(EventRecord::anonymousId).contains("anon-77");

        assertError(call(service, "POST", path(account, "events"), "{\"name\":\"x\"}"), 400, "'contact'");
        assertError(call(service, "POST", path(account, "events"), "{\"name\":\"" + "n".repeat(101) + "\",\"anonymous_id\":\"a\"}"),
                400, "'name'");
        assertError(call(service, "POST", path(account, "events"), "{\"name\":\"x\",\"anonymous_id\":\"a\",\"id\":\"1\"}"),
                400, "'id'");
        assertError(call(service, "POST", path(account, "events"), "{\"name\":\"x\",\"contact\":{\"email\":\"nope\"}}"),
                400, "'contact.email'");
        int anonymousBefore = workspace.anonymousEvents().size();
        assertError(call(service, "POST", path(account, "events"), "{\"name\":\"a\\u0000b\",\"anonymous_id\":\"a\"}"),
                400, "'name'");
        assertError(call(service, "POST", path(account, "events"), "{\"name\":\"a\\ud800\",\"anonymous_id\":\"a\"}"),
                400, "'name'");
        assertError(call(service, "POST", path(account, "events"), "{\"name\":\"ok\",\"anonymous_id\":\"a\\u0000\"}"),
                400, "'anonymous_id'");
        assertError(call(service, "POST", path(account, "events"), "{\"name\":\"ok\",\"anonymous_id\":\"a\","
                + "\"data\":{\"note\":\"\\udfff\"}}"), 400, "'data.note'");
        assertThat(workspace.anonymousEvents()).hasSize(anonymousBefore);
    }

    @Test
    void routingErrorsAreJson() throws Exception {
        assertError(call(service, "GET", path(account, "deals"), null), 404, "'deals'");
        RunningService.Reply notAllowed = call(service, "PATCH", path(account, "campaigns/1"), "{}");
        assertError(notAllowed, 405, "PATCH");
        assertThat(header(notAllowed, "Allow")).isEqualTo("GET");
        assertError(call(service, "GET", path(account, "events"), null), 405, "GET");
        RunningService.Reply put = call(service, "PUT", path(account, "contacts/user-1"), "{}");
        assertError(put, 405, "PUT");
        assertThat(header(put, "Allow")).isEqualTo("DELETE, GET, PATCH");
        RunningService.Reply deleteCollection = call(service, "DELETE", path(account, "contacts"), null);
        assertError(deleteCollection, 405, "DELETE");
        assertThat(header(deleteCollection, "Allow")).isEqualTo("GET, POST");
        RunningService.Reply getMembers = call(service, "GET", path(account, "segments/1/contacts"), null);
        assertError(getMembers, 405, "GET");
        assertThat(header(getMembers, "Allow")).isEqualTo("DELETE, POST");
        assertError(call(service, "GET", path(account, "contacts/user-1/extra"), null), 404, "No resource");
        assertError(call(service, "POST", path(account, "contacts/user-1/extra"), "{}"), 404, "No resource");
        assertError(call(service, "GET", UnifiedTestSupport.BASE + "contacts", null), 400, "integrated_account_id");
        assertError(call(service, "GET", UnifiedTestSupport.BASE + "contacts?integrated_account_id=acc_nope", null),
                404, "integrated_account_id");
        assertError(call(service, "GET", path(account, "contacts", "limit", "0"), null), 400, "'limit'");
        assertError(call(service, "GET", path(account, "contacts", "limit", "5001"), null), 400, "'limit'");
        RunningService.Reply noToken = service.request("GET", path(account, "contacts"), Map.of(), null);
        assertError(noToken, 401, "admin token");
    }
}
