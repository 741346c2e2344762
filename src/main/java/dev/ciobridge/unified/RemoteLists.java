package dev.ciobridge.unified;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ciobridge.api.ApiException;

/** Serves a unified page from Customer.io lists, whether Customer.io pages them with a cursor or returns them whole. */
final class RemoteLists {

    /**
     * Extra calls allowed beyond {@code ceil(limit / maxPerCall)} when Customer.io returns short pages, so that a
     * list whose pages come back empty still ends.
     */
    private static final int EXTRA_CALLS = 2;

    private RemoteLists() {
    }

    /**
     * Fills a page from a Customer.io cursor list, calling it as often as the limit needs: each call requests the items
     * still missing, up to {@code maxPerCall}. Every Customer.io page is taken whole, so the next page starts exactly
     * at Customer.io's {@code next} and nothing is skipped or repeated.
     *
     * @param fetch makes one call from Customer.io's start token (null on the first) and limit, returning its body
     * @param arrayField the field of Customer.io's response that contains the items
     */
    static ListPage cursorList(ListWindow window, int maxPerCall, BiFunction<String, Integer, JsonNode> fetch,
            String arrayField, Function<JsonNode, Object> mapper) {
        List<Object> items = new ArrayList<>();
        String token = window.start();
        int maxCalls = (window.limit() + maxPerCall - 1) / maxPerCall + EXTRA_CALLS;
        for (int call = 0; call < maxCalls && items.size() < window.limit(); call++) {
            int requested = Math.min(maxPerCall, window.limit() - items.size());
            JsonNode page = fetch.apply(token, requested);
            JsonNode array = page.path(arrayField);
            if (!array.isArray()) {
                throw new ApiException(502, "Customer.io returned a list without the '" + arrayField + "' array");
            }
            array.forEach(item -> items.add(mapper.apply(item)));
            String next = page.path("next").asText("");
            token = next.isEmpty() ? null : next;
            if (token == null) {
                break;
            }
        }
        return new ListPage(items, token);
    }

    /**
     * Pages a list that Customer.io returns whole: the items are ordered by {@code idField} and the page starts after
     * the id in {@code window.start()}, so items added or removed between calls shift nothing.
     */
    static ListPage wholeList(JsonNode array, String idField, ListWindow window, Function<JsonNode, Object> mapper) {
        if (!array.isArray()) {
            throw new ApiException(502, "Customer.io returned a list that is not an array");
        }
        List<JsonNode> sorted = new ArrayList<>();
        array.forEach(sorted::add);
        sorted.sort(Comparator.comparing((JsonNode item) -> item.path(idField).asText(""), RemoteLists::compareIds));
        List<Object> items = new ArrayList<>();
        String lastId = null;
        boolean more = false;
        for (JsonNode item : sorted) {
            String id = item.path(idField).asText("");
            if (window.start() != null && compareIds(id, window.start()) <= 0) {
                continue;
            }
            if (items.size() == window.limit()) {
                more = true;
                break;
            }
            items.add(mapper.apply(item));
            lastId = id;
        }
        return new ListPage(items, more ? lastId : null);
    }

    /** Orders numeric ids by value and any other ids as text, numeric ones first. */
    static int compareIds(String left, String right) {
        boolean leftNumeric = isNumeric(left);
        boolean rightNumeric = isNumeric(right);
        if (leftNumeric && rightNumeric) {
            return new java.math.BigInteger(left).compareTo(new java.math.BigInteger(right));
        }
        if (leftNumeric != rightNumeric) {
            return leftNumeric ? -1 : 1;
        }
        return left.compareTo(right);
    }

    private static boolean isNumeric(String text) {
        return !text.isEmpty() && text.length() < 40 && text.chars().allMatch(Character::isDigit);
    }
}
