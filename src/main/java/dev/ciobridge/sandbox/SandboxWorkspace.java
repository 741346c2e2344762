package dev.ciobridge.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/**
 * One simulated Customer.io workspace: its people, segments, deliveries and generated messaging setup, all in
 * memory. Request handlers and the inspection methods below synchronise on this object, so tests may read while
 * requests are served.
 */
public final class SandboxWorkspace {

    private final WorkspaceSpec spec;
    private final WorkspaceCredentials credentials;
    final PeopleSeed peopleSeed;
    final PeopleStore people;
    final SegmentStore segments = new SegmentStore();
    final Catalog catalog;
    final DeliveryStore deliveries;
    final RequestLog requests = new RequestLog();
    /**
     * Most events a workspace keeps; past it the oldest stored event is dropped, so a long load run cannot exhaust
     * the heap. Its ULID is forgotten with it, like an event Customer.io no longer deduplicates.
     */
    static final int MAX_STORED_EVENTS = 1_000_000;
    /** The limit in force: {@link #MAX_STORED_EVENTS}, lowered by tests. */
    int maxStoredEvents = MAX_STORED_EVENTS;
    /** Event ULIDs already stored, upper-cased because ULIDs compare without case. */
    final Set<String> eventIds = new HashSet<>();
    /** Owner of each stored event, oldest first, to drop the oldest past the limit: a person, or {@link #ANONYMOUS}. */
    final java.util.ArrayDeque<Object> eventOwners = new java.util.ArrayDeque<>();
    /** Owner of an anonymous event in {@link #eventOwners}. */
    static final Object ANONYMOUS = new Object();
    final Set<Identifier> suppressed = new HashSet<>();
    final List<EventRecord> anonymousEvents = new ArrayList<>();
    /** Attributes of Track v2 objects, by {@code object_type_id + ":" + object_id}. */
    final Map<String, Map<String, JsonNode>> objects = new HashMap<>();
    final AtomicLong duplicateEvents = new AtomicLong();
    /** Identify calls that Customer.io accepts with 200 but records as an "Attribute Update Failure". */
    final AtomicLong attributeUpdateFailures = new AtomicLong();
    final AtomicLong pipelinesDropped = new AtomicLong();
    final RateLimiter appLimiter;
    final RateLimiter trackLimiter;
    final RateLimiter transactionalLimiter;
    private volatile FaultSettings faults = FaultSettings.NONE;

    SandboxWorkspace(WorkspaceSpec spec, WorkspaceCredentials credentials) {
        this.spec = spec;
        this.credentials = credentials;
        this.peopleSeed = new PeopleSeed(spec.seed());
        this.people = new PeopleStore(peopleSeed, credentials.environmentId());
        this.people.seed(spec.people());
        this.catalog = new Catalog(spec.seed());
        this.deliveries = new DeliveryStore(spec.seed(), credentials.environmentId(), spec.deliveries(), spec.people());
        this.appLimiter = limiter(credentials.siteId() + "-app", spec.appRequestsPerSecond());
        this.trackLimiter = limiter(credentials.siteId() + "-track", spec.trackRequestsPerSecond());
        this.transactionalLimiter = limiter(credentials.siteId() + "-send", spec.transactionalRequestsPerSecond());
        seedSegments(spec.people());
    }

    private void seedSegments(int seededPeople) {
        long created = PeopleSeed.EPOCH - 250L * 86_400;
        segments.addDynamic("Paying plans", "People on the pro or enterprise plan",
                CustomerFilter.parse(SandboxJson.object().set("or", SandboxJson.NODES.arrayNode()
                        .add(attributeEq("plan", "pro")).add(attributeEq("plan", "enterprise"))), "filter"), created);
        segments.addDynamic("Has an email", "People with an email address", CustomerFilter.attributeExists("email"), created);
        segments.addDynamic("Germany", "People whose country is de", CustomerFilter.attributeEquals("country", "de"), created);
        SegmentRecord vip = segments.addManual("VIP", "Every fiftieth seeded person", created);
        for (int slot = 0; slot < seededPeople; slot += 50) {
            vip.add(people.slot(slot));
        }
    }

    private static JsonNode attributeEq(String field, String value) {
        return SandboxJson.object().set("attribute",
                SandboxJson.object().put("field", field).put("operator", "eq").put("value", value));
    }

    private static RateLimiter limiter(String name, int perSecond) {
        if (perSecond <= 0) {
            return null;
        }
        return RateLimiter.of(name, RateLimiterConfig.custom()
                .limitForPeriod(perSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    public WorkspaceCredentials credentials() {
        return credentials;
    }

    public String name() {
        return spec.name();
    }

    public WorkspaceSpec spec() {
        return spec;
    }

    public FaultSettings faults() {
        return faults;
    }

    /** Replaces the injected faults; {@link FaultSettings#NONE} turns them off. Takes effect on the next request. */
    public void setFaults(FaultSettings settings) {
        faults = settings == null ? FaultSettings.NONE : settings;
    }

    /**
     * Finds a person by an identifier written as in a Track v1 path: {@code cio_...} is a cio_id, an email-shaped
     * value is an email, anything else is an id.
     */
    public Optional<PersonSnapshot> person(String identifier) {
        return person(Identifier.fromPath(identifier));
    }

    public synchronized Optional<PersonSnapshot> person(Identifier identifier) {
        PersonRecord person = people.find(identifier);
        return person == null ? Optional.empty() : Optional.of(person.snapshot());
    }

    public synchronized int peopleCount() {
        return people.count();
    }

    /** Returns every person, in creation order. For large seeded workspaces prefer {@link #person(String)}. */
    public synchronized List<PersonSnapshot> people() {
        List<PersonSnapshot> result = new ArrayList<>(people.count());
        for (int slot = 0; slot < people.slotCount(); slot++) {
            PersonRecord person = people.slot(slot);
            if (person != null) {
                result.add(person.snapshot());
            }
        }
        return result;
    }

    /** Returns the events of a person, oldest first, or an empty list when there is no such person. */
    public List<EventRecord> events(String identifier) {
        return person(identifier).map(PersonSnapshot::events).orElse(List.of());
    }

    public synchronized List<EventRecord> anonymousEvents() {
        return List.copyOf(anonymousEvents);
    }

    /** Returns how many events were acknowledged but not stored because their ULID had been seen before. */
    public long duplicateEventsIgnored() {
        return duplicateEvents.get();
    }

    public long attributeUpdateFailures() {
        return attributeUpdateFailures.get();
    }

    public synchronized boolean isSuppressed(String identifier) {
        return suppressed.contains(Identifier.fromPath(identifier));
    }

    /** Returns the members of a segment in creation order, or an empty list when the segment does not exist. */
    public synchronized List<PersonSnapshot> segmentMembers(int segmentId) {
        SegmentRecord segment = segments.get(segmentId);
        List<PersonSnapshot> members = new ArrayList<>();
        if (segment == null) {
            return members;
        }
        for (int slot = 0; slot < people.slotCount(); slot++) {
            PersonRecord person = people.slot(slot);
            if (person != null && segment.isMember(person, segments)) {
                members.add(person.snapshot());
            }
        }
        return members;
    }

    /** Creates an empty manual segment, as {@code POST /v1/segments} does, and returns its id. */
    public synchronized int createManualSegment(String segmentName) {
        return segments.addManual(segmentName, "", System.currentTimeMillis() / 1000).id;
    }

    /** Returns the number of deliveries, seeded plus those recorded by transactional sends. */
    public synchronized int deliveryCount() {
        return deliveries.count();
    }

    public synchronized List<DeliveryRecord> transactionalDeliveries() {
        return deliveries.recorded();
    }

    public long requestsReceived() {
        return requests.total();
    }

    public long requestsReceived(Surface surface) {
        return requests.count(surface);
    }

    /** Returns up to the last {@value RequestLog#RECENT_CAPACITY} requests this workspace responded to, oldest first. */
    public List<RecordedRequest> recentRequests() {
        return requests.recent();
    }

    /** Returns the objects stored through Track v2, by {@code object_type_id:object_id}. */
    public synchronized Map<String, Map<String, JsonNode>> objects() {
        Map<String, Map<String, JsonNode>> copy = new HashMap<>();
        objects.forEach((key, value) -> copy.put(key, Map.copyOf(value)));
        return copy;
    }

    /** Upper-cases a ULID so that the same ULID written in either case counts once. */
    static String eventIdKey(String ulid) {
        return ulid.toUpperCase(Locale.ROOT);
    }
}
