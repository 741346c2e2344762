package dev.ciobridge.webhooks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Predicate;
import org.apache.camel.support.ExpressionAdapter;
import org.apache.camel.support.LanguageSupport;

/**
 * The {@code jsonfield} expression language of the webhook route files: a dotted path into the parsed JSON body, with
 * {@code ??} between alternatives, the first present and non-null one winning. For example
 * {@code data.object.metadata.app_user_id ?? data.object.customer_email}. A quoted alternative is a literal:
 * {@code data.object.currency ?? 'usd'}. Text comes back as a String, so {@code simple} can compare it; any other
 * value as a Jackson node, so numbers keep their exact value. An absent field gives null. As a predicate it is true
 * when the value is present, non-null and not an empty string.
 *
 * <p>Text can be passed through functions after a {@code |}: {@code replace('a', 'b')} replaces every {@code a} with
 * {@code b}, and {@code lower} lower-cases it. {@code type | replace('.', '_')} turns {@code invoice.paid} into
 * {@code invoice_paid}. Everything is parsed once, when the route is built, which keeps an evaluation to a few
 * map lookups: much cheaper per webhook than the {@code simple} language calling methods on the value.
 */
public final class JsonFieldLanguage extends LanguageSupport {

    public static final String NAME = "jsonfield";

    @Override
    public Predicate createPredicate(String expression) {
        Expression value = createExpression(expression);
        return exchange -> {
            Object result = value.evaluate(exchange, Object.class);
            if (result instanceof String text) {
                return !text.isEmpty();
            }
            return result instanceof JsonNode node && !node.isNull();
        };
    }

    @Override
    public Expression createExpression(String expression) {
        List<String> stages = splitOutsideQuotes(expression, '|');
        List<Alternative> alternatives = parse(stages.get(0));
        List<java.util.function.UnaryOperator<String>> functions = new ArrayList<>();
        for (String stage : stages.subList(1, stages.size())) {
            functions.add(function(stage.trim(), expression));
        }
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                JsonNode root = exchange.getMessage().getBody(JsonNode.class);
                for (Alternative alternative : alternatives) {
                    JsonNode value = alternative.resolve(root);
                    if (value != null && !value.isNull() && !value.isMissingNode()) {
                        return value.isTextual() ? applyAll(value.asText()) : value;
                    }
                }
                return null;
            }

            private String applyAll(String text) {
                String result = text;
                for (java.util.function.UnaryOperator<String> function : functions) {
                    result = function.apply(result);
                }
                return result;
            }

            @Override
            public String toString() {
                return NAME + ":" + expression;
            }
        };
    }

    private record Alternative(String[] path, JsonNode literal) {
        JsonNode resolve(JsonNode root) {
            if (literal != null) {
                return literal;
            }
            JsonNode node = root;
            for (String step : path) {
                if (node == null) {
                    return null;
                }
                node = node.isArray() && step.matches("\\d+") ? node.get(Integer.parseInt(step)) : node.get(step);
            }
            return node;
        }
    }

    private static java.util.function.UnaryOperator<String> function(String stage, String expression) {
        if (stage.equals("lower")) {
            return text -> text.toLowerCase(java.util.Locale.ROOT);
        }
        java.util.regex.Matcher replace = java.util.regex.Pattern
                .compile("replace\\(\\s*'([^']*)'\\s*,\\s*'([^']*)'\\s*\\)").matcher(stage);
        if (replace.matches()) {
            String target = replace.group(1);
            String replacement = replace.group(2);
            if (target.isEmpty()) {
                throw new IllegalArgumentException("replace needs a non-empty text to replace in jsonfield expression: " + expression);
            }
            return text -> text.replace(target, replacement);
        }
        throw new IllegalArgumentException("Unknown function '" + stage + "' in jsonfield expression: " + expression
                + "; use replace('a', 'b') or lower");
    }

    /** Splits on a separator that is not inside single quotes. */
    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static List<Alternative> parse(String expression) {
        List<Alternative> alternatives = new ArrayList<>();
        // The limit -1 keeps trailing empty parts, so "a ??" is rejected like "?? a".
        for (String part : expression.split("\\?\\?", -1)) {
            String text = part.trim();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("Empty alternative in jsonfield expression: " + expression);
            }
            if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
                alternatives.add(new Alternative(null,
                        com.fasterxml.jackson.databind.node.TextNode.valueOf(text.substring(1, text.length() - 1))));
            } else if (text.matches("-?\\d+(\\.\\d+)?")) {
                alternatives.add(new Alternative(null,
                        com.fasterxml.jackson.databind.node.DecimalNode.valueOf(new BigDecimal(text))));
            } else {
                alternatives.add(new Alternative(text.split("\\."), null));
            }
        }
        return alternatives;
    }
}
