package dev.ciobridge.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The App API's people filter: exactly one of {@code and} (array), {@code or} (array), {@code not} (one filter),
 * {@code segment} ({@code {"id":N}}) or {@code attribute} ({@code {"field","operator":"eq"|"exists","value"}}).
 */
abstract class CustomerFilter {

    /** Returns true when the person matches; {@code segments} resolves segment conditions. */
    abstract boolean matches(PersonRecord person, SegmentStore segments);

    /** Parses a filter object; throws {@link IllegalArgumentException} with a message naming the invalid part. */
    static CustomerFilter parse(JsonNode node, String path) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new IllegalArgumentException(path + " must be an object with exactly one of and, or, not, segment, attribute");
        }
        Map.Entry<String, JsonNode> entry = node.fields().next();
        String key = entry.getKey();
        JsonNode value = entry.getValue();
        return switch (key) {
            case "and", "or" -> {
                if (!value.isArray() || value.isEmpty()) {
                    throw new IllegalArgumentException(path + "." + key + " must be a non-empty array of filters");
                }
                List<CustomerFilter> parts = new ArrayList<>();
                for (int i = 0; i < value.size(); i++) {
                    parts.add(parse(value.get(i), path + "." + key + "[" + i + "]"));
                }
                yield key.equals("and") ? new All(parts) : new Any(parts);
            }
            case "not" -> new Not(parse(value, path + ".not"));
            case "segment" -> {
                JsonNode id = value.path("id");
                if (!id.canConvertToInt() || !id.isNumber()) {
                    throw new IllegalArgumentException(path + ".segment.id must be an integer");
                }
                yield new InSegment(id.intValue());
            }
            case "attribute" -> parseAttribute(value, path + ".attribute");
            default -> throw new IllegalArgumentException(path + " has the unknown condition '" + key + "'");
        };
    }

    private static CustomerFilter parseAttribute(JsonNode value, String path) {
        String field = value.path("field").asText("");
        String operator = value.path("operator").asText("");
        if (field.isEmpty()) {
            throw new IllegalArgumentException(path + ".field is required");
        }
        if (operator.equals("exists")) {
            return new AttributeExists(field);
        }
        if (operator.equals("eq")) {
            JsonNode expected = value.get("value");
            if (expected == null || expected.isNull()) {
                throw new IllegalArgumentException(path + ".value is required for the eq operator");
            }
            return new AttributeEquals(field, SandboxJson.asAttributeString(expected));
        }
        throw new IllegalArgumentException(path + ".operator must be eq or exists");
    }

    /** Reads a field as text, including the identifier fields that are not stored as attributes. */
    static String fieldText(PersonRecord person, String field) {
        return switch (field) {
            case "id" -> person.id;
            case "email" -> person.emailKey();
            case "cio_id" -> person.cioId;
            default -> SandboxJson.asAttributeString(person.attribute(field));
        };
    }

    static CustomerFilter attributeEquals(String field, String value) {
        return new AttributeEquals(field, value);
    }

    static CustomerFilter attributeExists(String field) {
        return new AttributeExists(field);
    }

    static CustomerFilter all(List<CustomerFilter> parts) {
        return new All(parts);
    }

    private static final class All extends CustomerFilter {
        private final List<CustomerFilter> parts;

        All(List<CustomerFilter> parts) {
            this.parts = parts;
        }

        @Override
        boolean matches(PersonRecord person, SegmentStore segments) {
            for (CustomerFilter part : parts) {
                if (!part.matches(person, segments)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class Any extends CustomerFilter {
        private final List<CustomerFilter> parts;

        Any(List<CustomerFilter> parts) {
            this.parts = parts;
        }

        @Override
        boolean matches(PersonRecord person, SegmentStore segments) {
            for (CustomerFilter part : parts) {
                if (part.matches(person, segments)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Not extends CustomerFilter {
        private final CustomerFilter inner;

        Not(CustomerFilter inner) {
            this.inner = inner;
        }

        @Override
        boolean matches(PersonRecord person, SegmentStore segments) {
            return !inner.matches(person, segments);
        }
    }

    private static final class InSegment extends CustomerFilter {
        private final int segmentId;

        InSegment(int segmentId) {
            this.segmentId = segmentId;
        }

        @Override
        boolean matches(PersonRecord person, SegmentStore segments) {
            SegmentRecord segment = segments.get(segmentId);
            return segment != null && segment.isMember(person, segments);
        }
    }

    private static final class AttributeExists extends CustomerFilter {
        private final String field;

        AttributeExists(String field) {
            this.field = field;
        }

        @Override
        boolean matches(PersonRecord person, SegmentStore segments) {
            return fieldText(person, field) != null;
        }
    }

    private static final class AttributeEquals extends CustomerFilter {
        private final String field;
        private final String expected;

        AttributeEquals(String field, String expected) {
            this.field = field;
            this.expected = field.equals("email") ? new Identifier(IdType.EMAIL, expected).value() : expected;
        }

        @Override
        boolean matches(PersonRecord person, SegmentStore segments) {
            return expected.equals(fieldText(person, field));
        }
    }
}
