package dev.ciobridge.sandbox;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The generated messaging setup of a workspace: campaigns, newsletters, transactional templates and sender
 * identities. Each is built from its index and the seed, so nothing is stored.
 */
final class Catalog {

    static final int CAMPAIGNS = 8;
    static final int NEWSLETTERS = 30;
    static final int SENDER_IDENTITIES = 12;
    private static final String[] CAMPAIGN_STATES = {"running", "running", "running", "draft", "stopped"};

    /** Transactional templates: trigger name, message type. Ids are the position plus one. */
    static final List<String[]> TEMPLATES = List.of(
            new String[] {"password_reset", "email"},
            new String[] {"welcome", "email"},
            new String[] {"receipt", "email"},
            new String[] {"login_code", "sms"},
            new String[] {"order_shipped", "push"});

    private final long seed;

    Catalog(long seed) {
        this.seed = seed;
    }

    ObjectNode campaign(int id) {
        ObjectNode json = SandboxJson.object();
        long created = PeopleSeed.EPOCH - 200L * 86_400 + id * 3_600L;
        json.put("id", id);
        json.put("deduplicate_id", id + ":" + (created + 60));
        json.put("name", "Campaign " + id);
        json.put("description", "Generated campaign " + id);
        json.put("created", created);
        json.put("updated", created + 60);
        String state = CAMPAIGN_STATES[SeedRandom.below(seed, id, 20, CAMPAIGN_STATES.length)];
        json.put("active", state.equals("running"));
        json.put("state", state);
        ArrayNode actions = json.putArray("actions");
        actions.addObject().put("type", "email").put("id", actionId(id));
        json.put("first_started", created + 120);
        json.putArray("tags").add("sandbox");
        json.putArray("trigger_segment_ids").add(1 + (id % 3));
        json.putArray("filter_segment_ids");
        json.putArray("msg_templates").addObject().put("id", actionId(id)).put("type", "email");
        return json;
    }

    static int actionId(int campaignId) {
        return campaignId * 10 + 1;
    }

    ObjectNode newsletter(int id) {
        ObjectNode json = SandboxJson.object();
        long created = PeopleSeed.EPOCH - 180L * 86_400 + id * 86_400L;
        json.put("id", id);
        json.put("deduplicate_id", id + ":" + (created + 60));
        json.put("type", "email");
        json.putArray("content_ids").add(id * 100 + 1);
        json.put("name", "Newsletter " + id);
        json.put("sent_at", created + 3_600);
        json.put("created", created);
        json.put("updated", created + 60);
        json.putArray("recipient_segment_ids").add(1);
        json.putArray("tags");
        json.putNull("subscription_topic_id");
        return json;
    }

    ObjectNode template(int id) {
        String[] template = TEMPLATES.get(id - 1);
        ObjectNode json = SandboxJson.object();
        json.put("id", id);
        json.put("name", template[0]);
        json.put("description", "Generated " + template[1] + " template");
        json.put("send_to_unsubscribed", true);
        json.put("link_tracking", true);
        json.put("open_tracking", true);
        json.put("hide_message_body", false);
        json.put("queue_drafts", false);
        json.put("created_at", PeopleSeed.EPOCH - 300L * 86_400);
        json.put("updated_at", PeopleSeed.EPOCH - 100L * 86_400);
        return json;
    }

    /** Returns the template id for an integer id or a trigger name (case-insensitive), or 0 when none matches. */
    static int templateId(String idOrName) {
        for (int i = 0; i < TEMPLATES.size(); i++) {
            if (TEMPLATES.get(i)[0].equalsIgnoreCase(idOrName) || String.valueOf(i + 1).equals(idOrName)) {
                return i + 1;
            }
        }
        return 0;
    }

    static String templateType(int id) {
        return TEMPLATES.get(id - 1)[1];
    }

    ObjectNode templateContents(int id) {
        String[] template = TEMPLATES.get(id - 1);
        ObjectNode json = SandboxJson.object();
        ArrayNode contents = json.putArray("contents");
        ObjectNode content = contents.addObject();
        content.put("id", id * 100 + 1);
        content.put("name", template[0]);
        content.put("type", template[1]);
        content.put("language", "");
        content.put("subject", "Your " + template[0].replace('_', ' '));
        content.put("body", "<p>Hello {{customer.first_name}}</p>");
        content.put("from", "Sandbox <noreply@example.com>");
        return json;
    }

    ObjectNode senderIdentity(int id) {
        ObjectNode json = SandboxJson.object();
        json.put("id", id);
        json.put("name", "Sender " + id);
        json.put("email", "sender" + id + "@example.com");
        json.put("address", "Sender " + id + " <sender" + id + "@example.com>");
        json.put("template_type", "email");
        json.put("auto_generated", false);
        json.put("dkim_status", "verified");
        json.put("created_at", PeopleSeed.EPOCH - 400L * 86_400 + id * 86_400L);
        return json;
    }
}
