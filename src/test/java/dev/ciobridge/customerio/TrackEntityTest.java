package dev.ciobridge.customerio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import dev.ciobridge.api.Json;

class TrackEntityTest {

    private static final Person USER_42 = new Person(Person.ID, "42");
    private static final String ULID = "01KEXBW2WC3RJ7Q1T5V8Y6Z9AB";
    private static final long TIMESTAMP = 1_768_423_008L;

    private static ObjectNode object() {
        return Json.MAPPER.createObjectNode();
    }

    private static TrackEntity event(String name, ObjectNode data) {
        return TrackEntity.event(USER_42, name, ULID, TIMESTAMP, data, "data.object");
    }

    private static TrackEntity identify(ObjectNode attributes) {
        return TrackEntity.identify(USER_42, TIMESTAMP, attributes, "data.object.metadata");
    }

    /** Builds the object {"k":"<value>"}, whose JSON takes the value's UTF-8 bytes plus 8. */
    private static ObjectNode dataOfValue(String value) {
        return object().put("k", value);
    }

    private static JsonNode parse(TrackEntity entity) throws Exception {
        return Json.MAPPER.readTree(entity.json());
    }

    @Test
    void eventJsonShape() {
        TrackEntity entity = event("purchase", object().put("sku", "s1"));

        assertThat(entity.json()).isEqualTo("{\"type\":\"person\",\"identifiers\":{\"id\":\"42\"},\"action\":\"event\","
                + "\"id\":\"" + ULID + "\",\"name\":\"purchase\",\"timestamp\":1768423008,\"attributes\":{\"sku\":\"s1\"}}");
    }

    @Test
    void identifyJsonShape() {
        Person bob = new Person(Person.EMAIL, "bob@example.com");

        TrackEntity entity = TrackEntity.identify(bob, TIMESTAMP, object().put("plan", "pro"), "attributes");

        assertThat(entity.json()).isEqualTo("{\"type\":\"person\",\"identifiers\":{\"email\":\"bob@example.com\"},"
                + "\"action\":\"identify\",\"timestamp\":1768423008,\"attributes\":{\"plan\":\"pro\"}}");
    }

    @Test
    void entityKeepsPerson() {
        assertThat(event("purchase", object()).person()).isEqualTo(USER_42);
    }

    @Test
    void eventNameIsTrimmed() throws Exception {
        TrackEntity entity = event("  purchase \n", object());

        assertThat(parse(entity).get("name").asText()).isEqualTo("purchase");
    }

    @Test
    void emptyEventNameIsRejected() {
        assertThatThrownBy(() -> event("   ", object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event name");
    }

    @Test
    void nullEventNameIsRejected() {
        assertThatThrownBy(() -> event(null, object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event name");
    }

    @Test
    void businessIdStaysInAttributes() throws Exception {
        TrackEntity entity = event("purchase", object().put("id", "order_991").put("total", 12));

        assertThat(parse(entity).get("attributes").get("id").asText()).isEqualTo("order_991");
    }

    @Test
    void businessIdKeepsEntityUlid() throws Exception {
        TrackEntity entity = event("purchase", object().put("id", "order_991"));

        assertThat(parse(entity).get("id").asText()).isEqualTo(ULID);
    }

    @Test
    void bytesCountUtf8OfJson() {
        TrackEntity entity = event("café ☕ 😀", object().put("city", "Zürich"));

        assertThat(entity.bytes()).isEqualTo(entity.json().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void bytesExceedCharacterCount() {
        TrackEntity entity = event("😀😀", object().put("city", "Zürich"));

        // Each emoji is two UTF-16 chars but four bytes, and "ü" is one char but two bytes.
        assertThat(entity.bytes()).isEqualTo(entity.json().length() + 2 * 2 + 1);
    }

    @Test
    void eventNameOf100BytesIsAccepted() {
        assertThat(event("e".repeat(100), object()).json()).contains("e".repeat(100));
    }

    @Test
    void eventNameOf101BytesIsRejected() {
        assertThatThrownBy(() -> event("e".repeat(101), object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event name")
                .hasMessageContaining("101 bytes");
    }

    @Test
    void accentedEventNameOf100BytesIsAccepted() {
        assertThat(event("é".repeat(50), object()).json()).contains("é".repeat(50));
    }

    @Test
    void accentedEventNameOf102BytesIsRejected() {
        assertThatThrownBy(() -> event("é".repeat(51), object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event name")
                .hasMessageContaining("102 bytes");
    }

    @Test
    void emojiEventNameOf100BytesIsAccepted() {
        assertThat(event("😀".repeat(25), object()).json()).contains("😀".repeat(25));
    }

    @Test
    void emojiEventNameOf104BytesIsRejected() {
        assertThatThrownBy(() -> event("😀".repeat(26), object()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("104 bytes");
    }

    @Test
    void eventDataOf100000BytesIsAccepted() {
        ObjectNode data = dataOfValue("x".repeat(99_992));

        assertThat(Json.write(data)).hasSize(100_000);
        assertThat(event("purchase", data).fitsV2()).isFalse();
    }

    @Test
    void eventDataOf100001BytesIsRejected() {
        assertThatThrownBy(() -> event("purchase", dataOfValue("x".repeat(99_993))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data.object")
                .hasMessageContaining("100001 bytes");
    }

    @Test
    void accentedEventDataCountsUtf8() {
        assertThatThrownBy(() -> event("purchase", dataOfValue("é".repeat(49_997))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data.object")
                .hasMessageContaining("100002 bytes");
    }

    @Test
    void accentedEventDataAtLimitIsAccepted() {
        assertThat(event("purchase", dataOfValue("é".repeat(49_996))).bytes()).isGreaterThan(100_000);
    }

    @Test
    void smallEntityFitsV2() {
        assertThat(event("purchase", object().put("sku", "s1")).fitsV2()).isTrue();
    }

    @Test
    void entityOf32767BytesFitsV2() {
        TrackEntity small = event("purchase", dataOfValue(""));
        int padding = TrackLimits.ENTITY_BYTES - small.bytes();

        TrackEntity entity = event("purchase", dataOfValue("x".repeat(padding)));

        assertThat(entity.bytes()).isEqualTo(TrackLimits.ENTITY_BYTES);
        assertThat(entity.fitsV2()).isTrue();
    }

    @Test
    void entityOf32768BytesNeedsV1() {
        TrackEntity small = event("purchase", dataOfValue(""));
        int padding = TrackLimits.ENTITY_BYTES + 1 - small.bytes();

        TrackEntity entity = event("purchase", dataOfValue("x".repeat(padding)));

        assertThat(entity.bytes()).isEqualTo(TrackLimits.ENTITY_BYTES + 1);
        assertThat(entity.fitsV2()).isFalse();
    }

    @Test
    void largeEntityWithoutV1PathIsRejected() {
        Person emailLikeId = new Person(Person.ID, "bob@example.com");

        assertThatThrownBy(() -> TrackEntity.event(emailLikeId, "purchase", ULID, TIMESTAMP,
                dataOfValue("x".repeat(40_000)), "data.object"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/api/v1");
    }

    @Test
    void largeIdentifyWithEmailIsAccepted() {
        Person bob = new Person(Person.EMAIL, "bob@example.com");
        ObjectNode attributes = object();
        for (int i = 0; i < 40; i++) {
            attributes.put("a" + i, "x".repeat(1_000));
        }

        assertThat(TrackEntity.identify(bob, TIMESTAMP, attributes, "attributes").fitsV2()).isFalse();
    }

    @Test
    void threeHundredAttributesAreAccepted() {
        ObjectNode attributes = object();
        for (int i = 0; i < 300; i++) {
            attributes.put("a" + i, i);
        }

        assertThat(identify(attributes).json()).contains("\"a299\":299");
    }

    @Test
    void threeHundredOneAttributesAreRejected() {
        ObjectNode attributes = object();
        for (int i = 0; i < 301; i++) {
            attributes.put("a" + i, i);
        }

        assertThatThrownBy(() -> identify(attributes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data.object.metadata")
                .hasMessageContaining("301 attributes");
    }

    @Test
    void valueOf1000BytesIsAccepted() {
        assertThat(identify(object().put("bio", "x".repeat(1_000))).json()).contains("x".repeat(1_000));
    }

    @Test
    void valueOf1001BytesIsRejected() {
        assertThatThrownBy(() -> identify(object().put("bio", "x".repeat(1_001))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data.object.metadata.bio")
                .hasMessageContaining("1001 bytes");
    }

    @Test
    void accentedValueOf1000BytesIsAccepted() {
        assertThat(identify(object().put("bio", "é".repeat(500))).json()).contains("é".repeat(500));
    }

    @Test
    void accentedValueOf1002BytesIsRejected() {
        assertThatThrownBy(() -> identify(object().put("bio", "é".repeat(501))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data.object.metadata.bio")
                .hasMessageContaining("1002 bytes");
    }

    @Test
    void emojiValueOf1004BytesIsRejected() {
        assertThatThrownBy(() -> identify(object().put("bio", "😀".repeat(251))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1004 bytes");
    }

    @Test
    void smallNonTextValueIsAccepted() {
        ArrayNode tags = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 100; i++) {
            tags.add("tag" + i % 10);
        }
        ObjectNode attributes = object();
        attributes.set("tags", tags);

        // 100 items of "tagN" take 6 bytes each, plus 99 commas and two brackets: 701 bytes.
        assertThat(identify(attributes).json()).contains("\"tag9\"]");
    }

    @Test
    void largeNonTextValueIsRejected() {
        ArrayNode tags = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 200; i++) {
            tags.add("tag" + i % 10);
        }
        ObjectNode attributes = object();
        attributes.set("tags", tags);

        // 200 items of 6 bytes, 199 commas and two brackets: 1401 bytes.
        assertThatThrownBy(() -> identify(attributes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data.object.metadata.tags")
                .hasMessageContaining("1401 bytes");
    }

    @Test
    void attributeNameOf150BytesIsAccepted() {
        assertThat(identify(object().put("n".repeat(150), 1)).json()).contains("n".repeat(150));
    }

    @Test
    void attributeNameOf151BytesIsRejected() {
        assertThatThrownBy(() -> identify(object().put("n".repeat(151), 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data.object.metadata")
                .hasMessageContaining("151 bytes");
    }

    @Test
    void accentedAttributeNameCountsUtf8() {
        assertThatThrownBy(() -> identify(object().put("é".repeat(76), 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("152 bytes");
    }

    @Test
    void utf8LengthCountsBytes() {
        assertThat(TrackEntity.utf8Length("aé☕😀")).isEqualTo(1 + 2 + 3 + 4);
    }
}
