package dev.ciobridge.sandbox;

/**
 * The contents and rate limits of a new simulated workspace. Start from {@link #defaults()} and change
 * fields with the {@code with...} methods.
 *
 * @param name workspace name shown by {@code GET /v1/workspaces}
 * @param seed seed of the generated data; equal seeds give equal people, deliveries and credentials
 * @param people number of seeded people, at most {@value #MAX_PEOPLE}
 * @param deliveries number of seeded deliveries, at most {@value #MAX_DELIVERIES}; none when there are no people
 * @param appRequestsPerSecond App API limit per second, or 0 for none; Customer.io enforces 10
 * @param trackRequestsPerSecond Track API limit per second, or 0 for none (the default)
 * @param transactionalRequestsPerSecond limit of {@code /v1/send/*} per second, or 0 for none (the default)
 * @param siteId fixed site id, or null to derive one from the seed
 * @param trackApiKey fixed Track API key, or null to derive one
 * @param appApiKey fixed App API key, or null to derive one
 * @param pipelinesKey fixed Pipelines key, or null to derive one
 */
public record WorkspaceSpec(String name, long seed, int people, int deliveries, int appRequestsPerSecond,
        int trackRequestsPerSecond, int transactionalRequestsPerSecond, String siteId, String trackApiKey,
        String appApiKey, String pipelinesKey) {

    public static final int MAX_PEOPLE = 100_000;
    public static final int MAX_DELIVERIES = 1_000_000;

    public WorkspaceSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (people < 0 || people > MAX_PEOPLE) {
            throw new IllegalArgumentException("people must be between 0 and " + MAX_PEOPLE + ", was " + people);
        }
        if (deliveries < 0 || deliveries > MAX_DELIVERIES) {
            throw new IllegalArgumentException("deliveries must be between 0 and " + MAX_DELIVERIES + ", was " + deliveries);
        }
        if (appRequestsPerSecond < 0 || trackRequestsPerSecond < 0 || transactionalRequestsPerSecond < 0) {
            throw new IllegalArgumentException("rate limits must be 0 (none) or positive");
        }
    }

    /** Returns an empty workspace named "Sandbox" with seed 1 and Customer.io's App API limit of 10 per second. */
    public static WorkspaceSpec defaults() {
        return new WorkspaceSpec("Sandbox", 1, 0, 0, 10, 0, 0, null, null, null, null);
    }

    public WorkspaceSpec withName(String newName) {
        return new WorkspaceSpec(newName, seed, people, deliveries, appRequestsPerSecond, trackRequestsPerSecond,
                transactionalRequestsPerSecond, siteId, trackApiKey, appApiKey, pipelinesKey);
    }

    public WorkspaceSpec withSeed(long newSeed) {
        return new WorkspaceSpec(name, newSeed, people, deliveries, appRequestsPerSecond, trackRequestsPerSecond,
                transactionalRequestsPerSecond, siteId, trackApiKey, appApiKey, pipelinesKey);
    }

    /** Sets the numbers of seeded people and deliveries. */
    public WorkspaceSpec withData(int newPeople, int newDeliveries) {
        return new WorkspaceSpec(name, seed, newPeople, newDeliveries, appRequestsPerSecond, trackRequestsPerSecond,
                transactionalRequestsPerSecond, siteId, trackApiKey, appApiKey, pipelinesKey);
    }

    /** Sets the per-second limits of the App API, the Track API and transactional sends; 0 turns one off. */
    public WorkspaceSpec withRateLimits(int app, int track, int transactional) {
        return new WorkspaceSpec(name, seed, people, deliveries, app, track, transactional, siteId, trackApiKey,
                appApiKey, pipelinesKey);
    }

    /** Fixes the credentials instead of deriving them from the seed; a null keeps the derived value. */
    public WorkspaceSpec withCredentials(String newSiteId, String newTrackApiKey, String newAppApiKey,
            String newPipelinesKey) {
        return new WorkspaceSpec(name, seed, people, deliveries, appRequestsPerSecond, trackRequestsPerSecond,
                transactionalRequestsPerSecond, newSiteId, newTrackApiKey, newAppApiKey, newPipelinesKey);
    }
}
