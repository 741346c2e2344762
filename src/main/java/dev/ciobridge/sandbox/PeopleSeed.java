package dev.ciobridge.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Generates the identifiers and attributes of seeded people from the workspace seed and the person's index, so the
 * attributes need not be stored until a request changes them.
 */
final class PeopleSeed {

    static final String[] PLANS = {"free", "free", "free", "free", "free", "free", "free", "free", "free", "free",
            "starter", "starter", "starter", "starter", "starter", "pro", "pro", "pro", "pro", "enterprise"};
    static final String[] COUNTRIES = {"us", "us", "us", "de", "fr", "gb", "br", "jp"};
    private static final String[] FIRST_NAMES = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret",
            "Ken", "Frances", "Dennis", "Radia", "John"};

    /** Unix seconds of 2026-01-01; seeded people were created in the year before it. */
    static final long EPOCH = 1_767_225_600L;

    private final long seed;

    PeopleSeed(long seed) {
        this.seed = seed;
    }

    /** Returns the id of seeded person {@code index}, or null for the one in twenty that has only an email. */
    String id(int index) {
        return index % 20 == 19 ? null : "user-" + index;
    }

    String email(int index) {
        return "person" + index + "@example.com";
    }

    long createdAt(int index) {
        return EPOCH - 1 - SeedRandom.below(seed, index, 1, 365 * 86_400);
    }

    JsonNode attribute(int index, String name) {
        return switch (name) {
            case "first_name" -> SandboxJson.NODES.textNode(FIRST_NAMES[SeedRandom.below(seed, index, 2, FIRST_NAMES.length)]);
            case "plan" -> SandboxJson.NODES.textNode(plan(index));
            case "country" -> SandboxJson.NODES.textNode(COUNTRIES[SeedRandom.below(seed, index, 4, COUNTRIES.length)]);
            case "created_at" -> SandboxJson.NODES.numberNode(createdAt(index));
            case "logins" -> SandboxJson.NODES.numberNode(SeedRandom.below(seed, index, 5, 500));
            default -> null;
        };
    }

    String plan(int index) {
        return PLANS[SeedRandom.below(seed, index, 3, PLANS.length)];
    }

    Map<String, JsonNode> attributes(int index) {
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        for (String name : new String[] {"first_name", "plan", "country", "created_at", "logins"}) {
            attributes.put(name, attribute(index, name));
        }
        return attributes;
    }
}
