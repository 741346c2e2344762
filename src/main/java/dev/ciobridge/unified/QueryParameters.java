package dev.ciobridge.unified;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.ciobridge.api.ApiException;

/** The decoded query parameters of one request; each name may appear once. */
final class QueryParameters {

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    static QueryParameters parse(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new QueryParameters(values);
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (values.putIfAbsent(name, value) != null) {
                throw ApiException.badRequest("Query parameter '" + name + "' is given more than once; give it once");
            }
        }
        return new QueryParameters(values);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("The query string has an invalid percent-encoding: '" + text + "'");
        }
    }

    /** Returns the value, or null when the parameter is absent; an empty value is rejected with 400 naming it. */
    String get(String name) {
        String value = values.get(name);
        if (value != null && value.isEmpty()) {
            throw ApiException.badRequest("Query parameter '" + name + "' is empty; give it a value or leave it out");
        }
        return value;
    }

    /** Rejects any parameter outside {@code accepted}, naming it, so that a misspelt filter is not silently ignored. */
    void rejectUnknown(Set<String> accepted) {
        for (String name : values.keySet()) {
            if (!accepted.contains(name)) {
                throw ApiException.badRequest("Unknown query parameter '" + name + "'; accepted here: "
                        + new java.util.TreeSet<>(accepted));
            }
        }
    }

    /** Returns the values of {@code names} that are present, in name order,, as the canonical text of a list's filter. */
    String canonical(Set<String> names) {
        Map<String, String> present = new TreeMap<>();
        for (String name : names) {
            String value = get(name);
            if (value != null) {
                present.put(name, value);
            }
        }
        StringBuilder text = new StringBuilder();
        present.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
        return text.toString();
    }

    Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }
}
