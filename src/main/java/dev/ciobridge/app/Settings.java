package dev.ciobridge.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed access to the {@code cio-bridge.*} and {@code customerio.*} properties, each overridable by environment
 * variable through Camel's mapping ({@code cio-bridge.http.port} is {@code CIO_BRIDGE_HTTP_PORT}).
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    public Optional<String> optional(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(value -> !value.isEmpty());
    }

    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> new IllegalStateException("Missing required property " + key));
    }

    public int integer(String key, int defaultValue) {
        return optional(key).map(value -> parse(key, value, Integer::parseInt)).orElse(defaultValue);
    }

    public long longValue(String key, long defaultValue) {
        return optional(key).map(value -> parse(key, value, Long::parseLong)).orElse(defaultValue);
    }

    public double decimal(String key, double defaultValue) {
        return optional(key).map(value -> parse(key, value, Double::parseDouble)).orElse(defaultValue);
    }

    public boolean bool(String key, boolean defaultValue) {
        return optional(key).map(Boolean::parseBoolean).orElse(defaultValue);
    }

    /** Reads a duration written as ISO-8601 ({@code PT30S}) or as a number with a unit: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}. */
    public Duration duration(String key, Duration defaultValue) {
        return optional(key).map(value -> parse(key, value, Settings::parseDuration)).orElse(defaultValue);
    }

    public Path dataDir() {
        return Path.of(string("cio-bridge.data-dir", "data"));
    }

    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase();
        if (value.startsWith("p")) {
            return Duration.parse(value.toUpperCase());
        }
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1).trim());
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("unknown unit");
        };
    }

    /** Returns whether a property contains a secret, whose value must never reach a log or an error message. */
    public static boolean isSecret(String key) {
        String lower = key.toLowerCase();
        return lower.contains("key") || lower.contains("token") || lower.contains("secret") || lower.contains("password");
    }

    private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            String shown = isSecret(key) ? "(hidden)" : "'" + value + "'";
            throw new IllegalStateException("Invalid value for property " + key + ": " + shown, e);
        }
    }
}
