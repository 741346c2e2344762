package dev.ciobridge.sandbox;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON form of {@link FaultSettings}: {@code latency_ms}, {@code server_error_rate}, {@code server_error_status},
 * {@code rate_limit_rate}, {@code retry_after_seconds}, {@code drop_rate} and {@code surfaces} (track, app,
 * pipelines; empty means all). Fields left out keep their "no fault" value.
 */
public final class FaultSettingsJson {

    private FaultSettingsJson() {
    }

    /** Reads fault settings; throws {@link IllegalArgumentException} naming the field when one is invalid. */
    public static FaultSettings read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("request body must be a JSON object");
        }
        FaultSettings none = FaultSettings.NONE;
        Set<Surface> surfaces = EnumSet.noneOf(Surface.class);
        for (JsonNode surface : body.path("surfaces")) {
            try {
                surfaces.add(Surface.valueOf(surface.asText().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("surfaces may contain track, app and pipelines, not '" + surface.asText() + "'");
            }
        }
        JsonNode retryAfter = body.get("retry_after_seconds");
        return new FaultSettings(
                body.path("latency_ms").asLong(none.latencyMillis()),
                body.path("server_error_rate").asDouble(none.serverErrorRate()),
                body.path("server_error_status").asInt(none.serverErrorStatus()),
                body.path("rate_limit_rate").asDouble(none.rateLimitRate()),
                retryAfter == null || retryAfter.isNull() ? null : retryAfter.asInt(),
                body.path("drop_rate").asDouble(none.dropRate()),
                surfaces);
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
