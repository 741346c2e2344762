package dev.ciobridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workspaces of one simulator, found by site id or by the credentials of each surface. The exact Authorization
 * header of each workspace is indexed too, so the common case of a well-formed header costs one map lookup.
 */
final class WorkspaceRegistry {

    /** Environment ids start here so they look like real workspace ids and never collide with small test numbers. */
    private static final long FIRST_ENVIRONMENT_ID = 101;

    private final Map<String, SandboxWorkspace> bySiteId = new ConcurrentHashMap<>();
    private final Map<String, SandboxWorkspace> byTrackHeader = new ConcurrentHashMap<>();
    private final Map<String, SandboxWorkspace> byAppKey = new ConcurrentHashMap<>();
    private final Map<String, SandboxWorkspace> byPipelinesKey = new ConcurrentHashMap<>();
    private final AtomicLong nextEnvironmentId = new AtomicLong(FIRST_ENVIRONMENT_ID);

    /**
     * Creates a workspace; credentials that the spec leaves null are derived from the seed and the environment id.
     * Environment ids whose derived credentials are taken already (by a workspace registered again with fixed
     * credentials after a restart, say) are skipped.
     */
    synchronized SandboxWorkspace create(WorkspaceSpec spec) {
        WorkspaceCredentials credentials;
        int tries = 0;
        do {
            credentials = credentials(spec, nextEnvironmentId.getAndIncrement());
        } while (spec.siteId() == null && isTaken(credentials) && ++tries < 10_000);
        if (isTaken(credentials)) {
            throw new IllegalArgumentException("a workspace with site id " + credentials.siteId()
                    + " or the same App or Pipelines key already exists");
        }
        SandboxWorkspace workspace = new SandboxWorkspace(spec, credentials);
        bySiteId.put(credentials.siteId(), workspace);
        byTrackHeader.put(basic(credentials.siteId() + ":" + credentials.trackApiKey()), workspace);
        byAppKey.put(credentials.appApiKey(), workspace);
        byPipelinesKey.put(credentials.pipelinesKey(), workspace);
        return workspace;
    }

    private static WorkspaceCredentials credentials(WorkspaceSpec spec, long environmentId) {
        long seed = spec.seed();
        return new WorkspaceCredentials(
                orDerived(spec.siteId(), SeedRandom.hex(seed, environmentId, 101, 20)),
                orDerived(spec.trackApiKey(), SeedRandom.hex(seed, environmentId, 102, 20)),
                orDerived(spec.appApiKey(), "sbx_app_" + SeedRandom.hex(seed, environmentId, 103, 32)),
                orDerived(spec.pipelinesKey(), "sbx_cdp_" + SeedRandom.hex(seed, environmentId, 104, 24)),
                environmentId);
    }

    private boolean isTaken(WorkspaceCredentials credentials) {
        return bySiteId.containsKey(credentials.siteId()) || byAppKey.containsKey(credentials.appApiKey())
                || byPipelinesKey.containsKey(credentials.pipelinesKey());
    }

    private static String orDerived(String fixed, String derived) {
        return fixed != null && !fixed.isBlank() ? fixed : derived;
    }

    static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    SandboxWorkspace bySiteId(String siteId) {
        return siteId == null ? null : bySiteId.get(siteId);
    }

    List<SandboxWorkspace> all() {
        List<SandboxWorkspace> all = new ArrayList<>(bySiteId.values());
        all.sort(Comparator.comparingLong(workspace -> workspace.credentials().environmentId()));
        return all;
    }

    boolean remove(String siteId) {
        SandboxWorkspace workspace = bySiteId.remove(siteId);
        if (workspace == null) {
            return false;
        }
        WorkspaceCredentials credentials = workspace.credentials();
        byTrackHeader.values().remove(workspace);
        byAppKey.remove(credentials.appApiKey());
        byPipelinesKey.remove(credentials.pipelinesKey());
        return true;
    }

    /** Authenticates Track API Basic credentials {@code siteId:trackApiKey}; returns null when they match no workspace. */
    SandboxWorkspace authenticateTrack(String authorization) {
        if (authorization == null) {
            return null;
        }
        SandboxWorkspace exact = byTrackHeader.get(authorization);
        if (exact != null) {
            return exact;
        }
        String[] credentials = decodeBasic(authorization);
        if (credentials == null) {
            return null;
        }
        SandboxWorkspace workspace = bySiteId.get(credentials[0]);
        if (workspace == null || !constantTimeEquals(workspace.credentials().trackApiKey(), credentials[1])) {
            return null;
        }
        return workspace;
    }

    /** Authenticates an App API bearer token; returns null when it matches no workspace. */
    SandboxWorkspace authenticateApp(String authorization) {
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return byAppKey.get(authorization.substring(7).strip());
    }

    /** Authenticates Pipelines Basic credentials {@code key:} (the key as user name, empty password). */
    SandboxWorkspace authenticatePipelines(String authorization) {
        String[] credentials = decodeBasic(authorization);
        if (credentials == null) {
            return null;
        }
        // NOTE: Customer.io documents an empty password but not what a non-empty one does; the simulator ignores it.
        return byPipelinesKey.get(credentials[0]);
    }

    /**
     * Decodes a Basic Authorization header into user name and password. Accepts standard and URL-safe base64,
     * because the Go client library sends the latter. Returns null for anything else.
     */
    static String[] decodeBasic(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String encoded = authorization.substring(6).strip();
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException standardFailed) {
            try {
                decoded = Base64.getUrlDecoder().decode(encoded);
            } catch (IllegalArgumentException urlFailed) {
                return null;
            }
        }
        String text = new String(decoded, StandardCharsets.UTF_8);
        int colon = text.indexOf(':');
        if (colon < 0) {
            return null;
        }
        return new String[] {text.substring(0, colon), text.substring(colon + 1)};
    }

    private static boolean constantTimeEquals(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }
}
