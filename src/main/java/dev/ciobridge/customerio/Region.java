package dev.ciobridge.customerio;

import java.util.Locale;
import java.util.Optional;

/**
 * A Customer.io data region. A workspace's credentials work only against the hosts of its own region. {@link #SANDBOX}
 * is cio-bridge's embedded simulator, never the real service.
 */
public enum Region {
    US("us"),
    EU("eu"),
    SANDBOX("sandbox");

    private final String code;

    Region(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public boolean isSandbox() {
        return this == SANDBOX;
    }

    public static Optional<Region> fromCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String lower = code.trim().toLowerCase(Locale.ROOT);
        for (Region region : values()) {
            if (region.code.equals(lower)) {
                return Optional.of(region);
            }
        }
        return Optional.empty();
    }
}
