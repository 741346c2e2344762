package dev.ciobridge.api;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson mapper of the service, set up so numbers keep their exact value. */
public final class Json {

    /**
     * Reads floating-point numbers as BigDecimal, so {@code 1234567890123.0} never turns into {@code 1.234567890123E12},
     * and rejects duplicate keys, whose meaning differs between parsers, and anything after the first JSON value.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
    }

    private Json() {
    }

    /** Parses a request body, turning any syntax error into a 400 that names where the JSON broke. */
    public static JsonNode parseBody(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("Request body is empty; a JSON document is required");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("Request body is empty; a JSON document is required");
            }
            return node;
        } catch (IOException e) {
            String reason = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
            throw ApiException.badRequest("Malformed JSON in request body: " + reason);
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getName(), e);
        }
    }
}
