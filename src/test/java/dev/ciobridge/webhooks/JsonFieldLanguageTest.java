package dev.ciobridge.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ciobridge.api.Json;

class JsonFieldLanguageTest {

    private static final String BODY = """
            {"id":"evt_1",
             "data":{"object":{
               "customer_email":"bob@example.com",
               "amount_paid":12345678901234567.89,
               "currency":null,
               "description":"",
               "livemode":false,
               "attempt_count":0,
               "metadata":{"app_user_id":"u_42"},
               "lines":{"data":[{"price":{"id":"price_a"}},{"price":{"id":"price_b"}}]},
               "tags":["first","second"]
             }}}""";

    private final JsonFieldLanguage language = new JsonFieldLanguage();
    private DefaultCamelContext camel;
    private Exchange exchange;

    @BeforeEach
    void createExchange() throws Exception {
        camel = new DefaultCamelContext();
        exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(Json.MAPPER.readTree(BODY));
    }

    @AfterEach
    void closeContext() throws Exception {
        camel.close();
    }

    private Object evaluate(String expression) {
        return language.createExpression(expression).evaluate(exchange, Object.class);
    }

    /** Evaluates to a Jackson node, wrapping text, which the language returns as a plain String. */
    private JsonNode node(String expression) {
        Object value = evaluate(expression);
        if (value instanceof String text) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
        }
        assertThat(value).as("value of %s", expression).isInstanceOf(JsonNode.class);
        return (JsonNode) value;
    }

    @Test
    void replaceTransformsText() {
        assertThat(evaluate("data.object.metadata.app_user_id | replace('_', '-')")).isEqualTo("u-42");
    }

    @Test
    void functionsApplyInOrder() {
        assertThat(evaluate("'A.B.C' | replace('.', '_') | lower")).isEqualTo("a_b_c");
    }

    @Test
    void pipeInsideQuotesIsText() {
        assertThat(evaluate("'a|b'")).isEqualTo("a|b");
    }

    @Test
    void unknownFunctionIsRejected() {
        assertThatThrownBy(() -> language.createExpression("id | upper"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("upper");
    }

    @Test
    void textComesBackAsString() {
        assertThat(evaluate("id")).isEqualTo("evt_1");
    }

    private boolean matches(String expression) {
        return language.createPredicate(expression).matches(exchange);
    }

    @Test
    void topLevelField() {
        assertThat(node("id").asText()).isEqualTo("evt_1");
    }

    @Test
    void dottedPath() {
        assertThat(node("data.object.metadata.app_user_id").asText()).isEqualTo("u_42");
    }

    @Test
    void objectValueIsReturnedWhole() {
        assertThat(node("data.object.metadata").get("app_user_id").asText()).isEqualTo("u_42");
    }

    @Test
    void numberKeepsExactValue() {
        // A double would round this value to 12345678901234568.
        assertThat(node("data.object.amount_paid").decimalValue()).isEqualByComparingTo("12345678901234567.89");
    }

    @Test
    void arrayIndexSelectsElement() {
        assertThat(node("data.object.lines.data.1.price.id").asText()).isEqualTo("price_b");
    }

    @Test
    void firstArrayElement() {
        assertThat(node("data.object.tags.0").asText()).isEqualTo("first");
    }

    @Test
    void indexPastEndIsNull() {
        assertThat(evaluate("data.object.tags.2")).isNull();
    }

    @Test
    void nameOnArrayIsNull() {
        assertThat(evaluate("data.object.tags.first")).isNull();
    }

    @Test
    void absentFieldIsNull() {
        assertThat(evaluate("data.object.metadata.missing")).isNull();
    }

    @Test
    void absentParentIsNull() {
        assertThat(evaluate("data.nothing.here.at.all")).isNull();
    }

    @Test
    void pathThroughTextIsNull() {
        assertThat(evaluate("id.deeper")).isNull();
    }

    @Test
    void jsonNullIsNull() {
        assertThat(evaluate("data.object.currency")).isNull();
    }

    @Test
    void fallbackTakesFirstPresent() {
        assertThat(node("data.object.metadata.email ?? data.object.customer_email").asText()).isEqualTo("bob@example.com");
    }

    @Test
    void fallbackKeepsFirstWhenPresent() {
        assertThat(node("data.object.metadata.app_user_id ?? data.object.customer_email").asText()).isEqualTo("u_42");
    }

    @Test
    void fallbackSkipsJsonNull() {
        assertThat(node("data.object.currency ?? 'usd'").asText()).isEqualTo("usd");
    }

    @Test
    void fallbackKeepsEmptyString() {
        assertThat(node("data.object.description ?? 'none'").asText()).isEmpty();
    }

    @Test
    void fallbackKeepsFalse() {
        assertThat(node("data.object.livemode ?? 'unknown'").asBoolean(true)).isFalse();
    }

    @Test
    void allAlternativesAbsentIsNull() {
        assertThat(evaluate("data.a ?? data.b ?? data.c")).isNull();
    }

    @Test
    void fallbackWithoutSpaces() {
        assertThat(node("data.a??id").asText()).isEqualTo("evt_1");
    }

    @Test
    void textLiteral() {
        assertThat(node("'usd'").asText()).isEqualTo("usd");
    }

    @Test
    void textLiteralIsTextual() {
        assertThat(node("'usd'").isTextual()).isTrue();
    }

    @Test
    void literalWithDotsIsNotPath() {
        assertThat(node("'data.object.id'").asText()).isEqualTo("data.object.id");
    }

    @Test
    void emptyTextLiteral() {
        assertThat(node("''").asText()).isEmpty();
    }

    @Test
    void numberLiteralIsExact() {
        assertThat(node("data.a ?? 12.50").decimalValue()).isEqualTo(new BigDecimal("12.50"));
    }

    @Test
    void negativeNumberLiteral() {
        assertThat(node("-3").decimalValue()).isEqualTo(new BigDecimal("-3"));
    }

    @Test
    void emptyAlternativeIsRejected() {
        assertThatThrownBy(() -> language.createExpression("data.a ?? ?? id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Empty alternative");
    }

    @Test
    void leadingEmptyAlternativeIsRejected() {
        assertThatThrownBy(() -> language.createExpression("?? id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Empty alternative");
    }

    @Test
    void trailingEmptyAlternativeIsRejected() {
        assertThatThrownBy(() -> language.createExpression("id ??"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Empty alternative");
    }

    @Test
    void nonJsonBodyIsNull() {
        exchange.getMessage().setBody(null);

        assertThat(evaluate("id")).isNull();
    }

    @Test
    void expressionNamesItself() {
        assertThat(language.createExpression("data.id ?? 'x'")).hasToString("jsonfield:data.id ?? 'x'");
    }

    @Test
    void presentTextMatches() {
        assertThat(matches("data.object.customer_email")).isTrue();
    }

    @Test
    void absentFieldDoesNotMatch() {
        assertThat(matches("data.object.metadata.missing")).isFalse();
    }

    @Test
    void jsonNullDoesNotMatch() {
        assertThat(matches("data.object.currency")).isFalse();
    }

    @Test
    void emptyStringDoesNotMatch() {
        assertThat(matches("data.object.description")).isFalse();
    }

    @Test
    void falseMatches() {
        assertThat(matches("data.object.livemode")).isTrue();
    }

    @Test
    void zeroMatches() {
        assertThat(matches("data.object.attempt_count")).isTrue();
    }

    @Test
    void objectMatches() {
        assertThat(matches("data.object.metadata")).isTrue();
    }

    @Test
    void fallbackMatchesWhenSecondPresent() {
        assertThat(matches("data.object.currency ?? data.object.customer_email")).isTrue();
    }

    @Test
    void emptyFirstAlternativeDoesNotMatch() {
        // The empty string is present, so it wins over the fallback and the predicate is false.
        assertThat(matches("data.object.description ?? data.object.customer_email")).isFalse();
    }

    @Test
    void emptyLiteralDoesNotMatch() {
        assertThat(matches("data.a ?? ''")).isFalse();
    }
}
