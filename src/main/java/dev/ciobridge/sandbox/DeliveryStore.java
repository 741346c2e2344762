package dev.ciobridge.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The deliveries of one workspace. Seeded deliveries are never stored: delivery {@code i} is rebuilt from the seed
 * and {@code i} on every read, so a million of them cost no memory. Deliveries recorded by transactional sends follow
 * them with indexes from the seeded count on. Seeded delivery {@code i} goes to seeded person {@code i % people}
 * and was created at a time that grows with {@code i}.
 */
final class DeliveryStore {

    static final String[] METRICS = {"sent", "delivered", "opened", "clicked", "converted", "bounced"};
    /** Seeded deliveries spread over the 150 days before {@link PeopleSeed#EPOCH}. */
    static final long SPAN_SECONDS = 150L * 86_400;
    static final long FIRST_CREATED = PeopleSeed.EPOCH - SPAN_SECONDS;

    private final long seed;
    private final long environmentId;
    private final int seededCount;
    private final int seededPeople;
    private final List<DeliveryRecord> recorded = new ArrayList<>();
    /** Metric totals per campaign (index 1..CAMPAIGNS) and metric (order of {@link #METRICS}), computed on first use. */
    private long[][] campaignTotals;

    DeliveryStore(long seed, long environmentId, int seededCount, int seededPeople) {
        this.seed = seed;
        this.environmentId = environmentId;
        this.seededCount = seededPeople == 0 ? 0 : seededCount;
        this.seededPeople = seededPeople;
    }

    int seededCount() {
        return seededCount;
    }

    /** Returns the number of deliveries, seeded and recorded. */
    int count() {
        return seededCount + recorded.size();
    }

    int seededPeople() {
        return seededPeople;
    }

    String deliveryId(int index) {
        return "sbx" + environmentId + "d" + index;
    }

    /** Returns the index of a delivery id of this workspace, or -1 when it names no delivery here. */
    int indexOf(String deliveryId) {
        String prefix = "sbx" + environmentId + "d";
        if (deliveryId == null || !deliveryId.startsWith(prefix)) {
            return -1;
        }
        try {
            int index = Integer.parseInt(deliveryId.substring(prefix.length()));
            return index >= 0 && index < count() ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    DeliveryRecord record(String type, int templateId, PersonRecord person, String recipient, String subject, long now) {
        Map<String, Long> metrics = new LinkedHashMap<>();
        metrics.put("created", now);
        metrics.put("sent", now);
        DeliveryRecord delivery = new DeliveryRecord(deliveryId(count()), type, templateId, person.id,
                person.emailOriginal, person.cioId, recipient, subject, now, metrics);
        recorded.add(delivery);
        return delivery;
    }

    List<DeliveryRecord> recorded() {
        return List.copyOf(recorded);
    }

    DeliveryRecord recordedAt(int index) {
        return index >= seededCount ? recorded.get(index - seededCount) : null;
    }

    long created(int index) {
        if (index >= seededCount) {
            return recorded.get(index - seededCount).created();
        }
        return FIRST_CREATED + (long) ((double) index * SPAN_SECONDS / Math.max(1, seededCount));
    }

    /** Returns the seeded person slot of a seeded delivery, or -1 for a recorded one. */
    int seededPersonSlot(int index) {
        return index < seededCount ? index % seededPeople : -1;
    }

    String type(int index) {
        if (index >= seededCount) {
            return recorded.get(index - seededCount).type();
        }
        int roll = SeedRandom.below(seed, index, 30, 20);
        return roll < 14 ? "email" : roll < 17 ? "push" : roll < 19 ? "twilio" : "webhook";
    }

    /** Returns the campaign of a seeded delivery, 0 for newsletter and recorded deliveries. */
    int campaignId(int index) {
        if (index >= seededCount || newsletterId(index) != 0) {
            return 0;
        }
        return 1 + SeedRandom.below(seed, index, 31, Catalog.CAMPAIGNS);
    }

    int newsletterId(int index) {
        if (index >= seededCount || !SeedRandom.chance(seed, index, 32, 10)) {
            return 0;
        }
        return 1 + SeedRandom.below(seed, index, 33, Catalog.NEWSLETTERS);
    }

    /** Returns the Unix seconds at which a delivery reached a metric, or 0 when it did not reach it. */
    long metricTime(int index, String metric) {
        if (index >= seededCount) {
            Long at = recorded.get(index - seededCount).metrics().get(metric);
            return at == null ? 0 : at;
        }
        long created = created(index);
        boolean bounced = SeedRandom.chance(seed, index, 40, 3);
        boolean delivered = !bounced && SeedRandom.chance(seed, index, 41, 93);
        boolean opened = delivered && SeedRandom.chance(seed, index, 42, 40);
        boolean clicked = opened && SeedRandom.chance(seed, index, 43, 25);
        boolean converted = clicked && SeedRandom.chance(seed, index, 44, 20);
        return switch (metric) {
            case "created", "attempted", "sent" -> created + 2;
            case "delivered" -> delivered ? created + 5 : 0;
            case "opened" -> opened ? created + 600 : 0;
            case "clicked" -> clicked ? created + 700 : 0;
            case "converted" -> converted ? created + 3_600 : 0;
            case "bounced" -> bounced ? created + 5 : 0;
            default -> 0;
        };
    }

    /**
     * Returns the first index whose creation time is at or after {@code unixSeconds}, searching only the seeded
     * deliveries, whose times grow with the index.
     */
    int firstSeededAtOrAfter(long unixSeconds) {
        int low = 0;
        int high = seededCount;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (created(middle) < unixSeconds) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Builds the App API's delivery ({@code message}) object; {@code people} supplies the current identifiers. */
    ObjectNode toJson(int index, PeopleStore people) {
        ObjectNode json = SandboxJson.object();
        String id = deliveryId(index);
        long created = created(index);
        json.put("id", id);
        json.put("deduplicate_id", id + ":" + created);
        ObjectNode identifiers = SandboxJson.object();
        DeliveryRecord recordedDelivery = recordedAt(index);
        String recipient;
        String subject;
        if (recordedDelivery != null) {
            identifiers.put("id", recordedDelivery.customerId());
            identifiers.put("email", recordedDelivery.customerEmail());
            identifiers.put("cio_id", recordedDelivery.cioId());
            recipient = recordedDelivery.recipient();
            subject = recordedDelivery.subject();
            json.put("message_template_id", recordedDelivery.transactionalMessageId());
        } else {
            PersonRecord person = people.slot(seededPersonSlot(index));
            PeopleSeed names = new PeopleSeed(seed);
            int slot = seededPersonSlot(index);
            identifiers.put("id", person != null ? person.id : names.id(slot));
            identifiers.put("email", person != null ? person.emailOriginal : names.email(slot));
            identifiers.put("cio_id", person != null ? person.cioId : null);
            recipient = identifiers.path("email").asText(null);
            subject = "Update " + index;
            json.put("message_template_id", campaignId(index) == 0 ? newsletterId(index) * 100 + 1
                    : Catalog.actionId(campaignId(index)));
        }
        json.put("customer_id", identifiers.path("id").asText(null));
        json.set("customer_identifiers", identifiers);
        json.put("recipient", recipient);
        json.put("subject", subject);
        ObjectNode metrics = json.putObject("metrics");
        for (String metric : new String[] {"created", "sent", "delivered", "opened", "clicked", "converted", "bounced"}) {
            long at = metricTime(index, metric);
            if (at != 0) {
                metrics.put(metric, at);
            }
        }
        json.put("created", created);
        json.putNull("failure_message");
        putIdOrNull(json, "campaign_id", campaignId(index));
        putIdOrNull(json, "action_id", campaignId(index) == 0 ? 0 : Catalog.actionId(campaignId(index)));
        json.putNull("parent_action_id");
        putIdOrNull(json, "newsletter_id", newsletterId(index));
        putIdOrNull(json, "content_id", newsletterId(index) == 0 ? 0 : newsletterId(index) * 100 + 1);
        json.putNull("broadcast_id");
        json.putNull("trigger_event_id");
        if (recordedDelivery != null) {
            json.put("transactional_message_id", recordedDelivery.transactionalMessageId());
        }
        json.put("forgotten", false);
        json.put("type", type(index));
        return json;
    }

    /**
     * Returns how many seeded deliveries of a campaign reached each metric of {@link #METRICS}. The first call scans
     * every seeded delivery once (tens of milliseconds for a million); later calls read the stored totals.
     */
    long[] campaignTotals(int campaignId) {
        if (campaignTotals == null) {
            long[][] totals = new long[Catalog.CAMPAIGNS + 1][METRICS.length];
            for (int index = 0; index < seededCount; index++) {
                int campaign = campaignId(index);
                if (campaign == 0) {
                    continue;
                }
                for (int metric = 0; metric < METRICS.length; metric++) {
                    if (metricTime(index, METRICS[metric]) != 0) {
                        totals[campaign][metric]++;
                    }
                }
            }
            campaignTotals = totals;
        }
        return campaignTotals[campaignId].clone();
    }

    private static void putIdOrNull(ObjectNode json, String field, int id) {
        if (id == 0) {
            json.putNull(field);
        } else {
            json.put(field, id);
        }
    }
}
