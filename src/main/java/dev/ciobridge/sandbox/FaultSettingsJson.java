package dev.ciobridge.sandbox;

import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON form of {@link FaultSettings}: {@code latency_ms}, {@code server_error_rate}, {@code server_error_status},
 * {@code rate_limit_rate}, {@code retry_after_seconds}, {@code drop_rate} and {@code surfaces} (track, app,
 * pipelines; empty means all). Fields left out keep their "no fault" value, and any other field is rejected.
 */
public final class FaultSettingsJson {

    static final Set<String> FIELDS = Set.of("latency_ms", "server_error_rate", "server_error_status", "rate_limit_rate",
            "retry_after_seconds", "drop_rate", "surfaces");

    private FaultSettingsJson() {
    }

    /** Reads fault settings; throws {@link IllegalArgumentException} naming the JSON field when one is invalid. */
    public static FaultSettings read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("request body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'; accepted fields are " + new TreeSet<>(FIELDS));
            }
        }
        FaultSettings none = FaultSettings.NONE;
        long latency = integer(body, "latency_ms", none.latencyMillis(), 0, 60_000);
        double serverErrorRate = rate(body, "server_error_rate", none.serverErrorRate());
        int serverErrorStatus = (int) integer(body, "server_error_status", none.serverErrorStatus(), 500, 599);
        double rateLimitRate = rate(body, "rate_limit_rate", none.rateLimitRate());
        JsonNode retryAfter = body.get("retry_after_seconds");
        Integer retryAfterSeconds = retryAfter == null || retryAfter.isNull() ? null
                : (int) integer(body, "retry_after_seconds", 0, 0, Integer.MAX_VALUE);
        double dropRate = rate(body, "drop_rate", none.dropRate());
        return new FaultSettings(latency, serverErrorRate, serverErrorStatus, rateLimitRate, retryAfterSeconds, dropRate,
                surfaces(body.get("surfaces")));
    }

    private static long integer(JsonNode body, String field, long absent, long min, long max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            throw new IllegalArgumentException(field + " must be an integer from " + min + " to " + max + ", was " + value);
        }
        return value.asLong();
    }

    private static double rate(JsonNode body, String field, double absent) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isNumber() || !(value.asDouble() >= 0 && value.asDouble() <= 1)) {
            throw new IllegalArgumentException(field + " must be a number from 0 to 1, was " + value);
        }
        return value.asDouble();
    }

    private static Set<Surface> surfaces(JsonNode list) {
        Set<Surface> surfaces = EnumSet.noneOf(Surface.class);
        if (list == null || list.isNull()) {
            return surfaces;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("surfaces must be an array of track, app and pipelines");
        }
        for (JsonNode surface : list) {
            String name = surface.isTextual() ? surface.asText().toLowerCase(Locale.ROOT) : "";
            switch (name) {
                case "track" -> surfaces.add(Surface.TRACK);
                case "app" -> surfaces.add(Surface.APP);
                case "pipelines" -> surfaces.add(Surface.PIPELINES);
                default -> throw new IllegalArgumentException("surfaces may contain track, app and pipelines, not " + surface);
            }
        }
        return surfaces;
    }

    public static ObjectNode write(FaultSettings faults) {
        ObjectNode json = SandboxJson.object();
        json.put("latency_ms", faults.latencyMillis());
        json.put("server_error_rate", faults.serverErrorRate());
        json.put("server_error_status", faults.serverErrorStatus());
        json.put("rate_limit_rate", faults.rateLimitRate());
        if (faults.retryAfterSeconds() == null) {
            json.putNull("retry_after_seconds");
        } else {
            json.put("retry_after_seconds", faults.retryAfterSeconds());
        }
        json.put("drop_rate", faults.dropRate());
        ArrayNode surfaces = json.putArray("surfaces");
        faults.surfaces().stream().sorted().forEach(surface -> surfaces.add(surface.name().toLowerCase(Locale.ROOT)));
        return json;
    }
}
