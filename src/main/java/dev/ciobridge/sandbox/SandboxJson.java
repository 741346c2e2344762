package dev.ciobridge.sandbox;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON parsing, writing and byte counting shared by the simulator's handlers. */
final class SandboxJson {

    /** Rejects duplicate keys like the service's own mapper, so both sides read a body the same way. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SandboxJson() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Parses a request body; returns null when the body is not JSON, so each surface can respond in its own envelope. */
    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a simulator response", e);
        }
    }

    /** Counts the UTF-8 bytes of a string without encoding it, because every Track API limit is in bytes. */
    static int utf8Length(CharSequence text) {
        int bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Returns the byte size of a value as Customer.io measures it: a string's own bytes, anything else as JSON text. */
    static int valueBytes(JsonNode value) {
        if (value == null || value.isNull()) {
            return 0;
        }
        if (value.isTextual()) {
            return utf8Length(value.textValue());
        }
        if (value.isValueNode()) {
            return utf8Length(value.asText());
        }
        return write(value).length;
    }

    /** Renders an attribute the way the App API returns it: every value as a string. */
    static String asAttributeString(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        return new String(write(value), StandardCharsets.UTF_8);
    }

    /** Reads an identifier value that may be sent as a JSON string or number; returns null for anything else. */
    static String identifierText(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isIntegralNumber()) {
            return value.asText();
        }
        return null;
    }
}
