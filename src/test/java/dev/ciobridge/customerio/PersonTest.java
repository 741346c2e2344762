package dev.ciobridge.customerio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import dev.ciobridge.api.Json;

class PersonTest {

    private static Person personWithId(JsonNode node) {
        return Person.of(Person.ID, node, "data.user_id");
    }

    @Test
    void dotIdsGoThroughTheEntityEndpoint() {
        assertThat(Person.of(Person.ID, "..", "id").v1PathIdentifier()).isNull();
        assertThat(Person.of(Person.ID, ".", "id").v1PathIdentifier()).isNull();
        assertThat(Person.of(Person.ID, "...", "id").v1PathIdentifier()).isEqualTo("...");
    }

    @Test
    void intIdBecomesDecimalString() {
        assertThat(personWithId(IntNode.valueOf(42)).value()).isEqualTo("42");
    }

    @Test
    void longIdBecomesDecimalString() {
        assertThat(personWithId(LongNode.valueOf(1_234_567_890_123L)).value()).isEqualTo("1234567890123");
    }

    @Test
    void parsedJsonIntegerBecomesDecimalString() throws Exception {
        JsonNode node = Json.MAPPER.readTree("{\"id\":1234567890123}").get("id");

        assertThat(personWithId(node).value()).isEqualTo("1234567890123");
    }

    @Test
    void exponentDecimalBecomesPlainString() {
        JsonNode node = DecimalNode.valueOf(new BigDecimal("1.234567890123E12"));

        assertThat(personWithId(node).value()).isEqualTo("1234567890123");
    }

    @Test
    void parsedExponentBecomesPlainString() throws Exception {
        JsonNode node = Json.MAPPER.readTree("{\"id\":1.234567890123E12}").get("id");

        assertThat(personWithId(node).value()).isEqualTo("1234567890123");
    }

    @Test
    void trailingZeroFractionIsDropped() {
        assertThat(personWithId(DecimalNode.valueOf(new BigDecimal("42.000"))).value()).isEqualTo("42");
    }

    @Test
    void roundExponentKeepsAllZeros() {
        assertThat(personWithId(DecimalNode.valueOf(new BigDecimal("1E+3"))).value()).isEqualTo("1000");
    }

    @Test
    void doubleIdBecomesPlainString() {
        assertThat(personWithId(DoubleNode.valueOf(1.234567890123E12)).value()).isEqualTo("1234567890123");
    }

    @Test
    void bigIntegerIdKeepsEveryDigit() {
        JsonNode node = Json.MAPPER.getNodeFactory().numberNode(new BigInteger("123456789012345678901234567890"));

        assertThat(personWithId(node).value()).isEqualTo("123456789012345678901234567890");
    }

    @Test
    void fractionalIdIsRejected() {
        assertThatThrownBy(() -> personWithId(DecimalNode.valueOf(new BigDecimal("42.5"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data.user_id")
                .hasMessageContaining("42.5");
    }

    @Test
    void booleanIdIsRejected() {
        assertThatThrownBy(() -> personWithId(BooleanNode.TRUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data.user_id");
    }

    @Test
    void objectIdIsRejected() {
        assertThatThrownBy(() -> personWithId(Json.MAPPER.createObjectNode().put("a", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data.user_id");
    }

    @Test
    void nullNodeIsMissing() {
        assertThatThrownBy(() -> personWithId(NullNode.getInstance()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("data.user_id is missing");
    }

    @Test
    void missingNodeIsMissing() {
        assertThatThrownBy(() -> personWithId(MissingNode.getInstance()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("data.user_id is missing");
    }

    @Test
    void javaNullIsMissing() {
        assertThatThrownBy(() -> personWithId(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("data.user_id is missing");
    }

    @Test
    void textIdIsKeptAsIs() {
        assertThat(personWithId(TextNode.valueOf("User-42")).value()).isEqualTo("User-42");
    }

    @Test
    void emptyTextIsRejected() {
        assertThatThrownBy(() -> personWithId(TextNode.valueOf("")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("data.user_id must not be empty");
    }

    @Test
    void blankTextIsRejected() {
        assertThatThrownBy(() -> Person.of(Person.ID, "  \t", "f"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("f must not be empty");
    }

    @Test
    void emailIsLowerCased() {
        assertThat(Person.of(Person.EMAIL, "Alice.Smith@Example.COM", "e").value()).isEqualTo("alice.smith@example.com");
    }

    @Test
    void emailIsTrimmed() {
        assertThat(Person.of(Person.EMAIL, "  bob@example.com\n", "e").value()).isEqualTo("bob@example.com");
    }

    @Test
    void emailWithoutAtIsRejected() {
        assertThatThrownBy(() -> Person.of(Person.EMAIL, "bob.example.com", "customer_email"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("customer_email")
                .hasMessageContaining("bob.example.com");
    }

    @Test
    void emailStartingWithAtIsRejected() {
        assertThatThrownBy(() -> Person.of(Person.EMAIL, "@example.com", "e"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idIsNotLowerCased() {
        assertThat(Person.of(Person.ID, "ABC", "f").value()).isEqualTo("ABC");
    }

    @Test
    void cioPrefixIsDropped() {
        assertThat(Person.of(Person.CIO_ID, "cio_03000010", "f").value()).isEqualTo("03000010");
    }

    @Test
    void cioIdWithoutPrefixIsKept() {
        assertThat(Person.of(Person.CIO_ID, "03000010", "f").value()).isEqualTo("03000010");
    }

    @Test
    void bareCioPrefixIsRejected() {
        assertThatThrownBy(() -> Person.of(Person.CIO_ID, "cio_", "person.cio_id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("person.cio_id is empty after the cio_ prefix: 'cio_'");
    }

    @Test
    void cioPrefixWithBlankIsRejected() {
        assertThatThrownBy(() -> Person.of(Person.CIO_ID, "cio_  ", "person.cio_id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty after the cio_ prefix");
    }

    @Test
    void cioPrefixOnIdIsKept() {
        assertThat(Person.of(Person.ID, "cio_03000010", "f").value()).isEqualTo("cio_03000010");
    }

    @Test
    void asciiIdOf150BytesIsAccepted() {
        assertThat(Person.of(Person.ID, "a".repeat(150), "f").value()).hasSize(150);
    }

    @Test
    void asciiIdOf151BytesIsRejected() {
        assertThatThrownBy(() -> Person.of(Person.ID, "a".repeat(151), "f"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("151 bytes");
    }

    @Test
    void fiftyAccentedLettersAreAccepted() {
        assertThat(Person.of(Person.ID, "é".repeat(50), "f").value()).isEqualTo("é".repeat(50));
    }

    @Test
    void seventyFiveAccentedLettersAreAccepted() {
        assertThat(Person.of(Person.ID, "é".repeat(75), "f").value()).isEqualTo("é".repeat(75));
    }

    @Test
    void seventySixAccentedLettersAreRejected() {
        assertThatThrownBy(() -> Person.of(Person.ID, "é".repeat(76), "data.user_id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data.user_id")
                .hasMessageContaining("152 bytes");
    }

    @Test
    void emojiCountFourBytesEach() {
        assertThatThrownBy(() -> Person.of(Person.ID, "😀".repeat(38), "f"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("152 bytes");
    }

    @Test
    void cioIdLimitCountsWithoutPrefix() {
        String value = "cio_" + "a".repeat(150);

        assertThat(Person.of(Person.CIO_ID, value, "f").value()).hasSize(150);
    }

    @Test
    void unknownTypeIsRejected() {
        assertThatThrownBy(() -> new Person("phone", "123"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("phone");
    }

    @Test
    void plainIdIsV1PathIdentifier() {
        assertThat(new Person(Person.ID, "42").v1PathIdentifier()).isEqualTo("42");
    }

    @Test
    void idWithAtHasNoV1Path() {
        assertThat(new Person(Person.ID, "bob@example.com").v1PathIdentifier()).isNull();
    }

    @Test
    void idStartingCioHasNoV1Path() {
        assertThat(new Person(Person.ID, "cio_42").v1PathIdentifier()).isNull();
    }

    @Test
    void idContainingCioHasV1Path() {
        assertThat(new Person(Person.ID, "xcio_42").v1PathIdentifier()).isEqualTo("xcio_42");
    }

    @Test
    void emailIsV1PathIdentifier() {
        assertThat(new Person(Person.EMAIL, "bob@example.com").v1PathIdentifier()).isEqualTo("bob@example.com");
    }

    @Test
    void cioIdV1PathRegainsPrefix() {
        assertThat(new Person(Person.CIO_ID, "03000010").v1PathIdentifier()).isEqualTo("cio_03000010");
    }

    @Test
    void keyJoinsTypeAndValue() {
        assertThat(new Person(Person.EMAIL, "bob@example.com").key()).isEqualTo("email:bob@example.com");
    }

    @Test
    void fromKeyReversesKey() {
        Person person = new Person(Person.ID, "org:42:a");

        assertThat(Person.fromKey(person.key())).isEqualTo(person);
    }
}
