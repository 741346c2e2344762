package dev.ciobridge.sandbox;

import java.util.Locale;

/** The kinds of person identifier Customer.io accepts, as named by the {@code id_type} query parameter. */
public enum IdType {
    ID("id"),
    EMAIL("email"),
    CIO_ID("cio_id");

    private final String parameter;

    IdType(String parameter) {
        this.parameter = parameter;
    }

    /** Returns the name used in {@code id_type} and in {@code identifiers} objects. */
    public String parameter() {
        return parameter;
    }

    /** Parses an {@code id_type} value; null or empty means {@link #ID}, the API default. Returns null when unknown. */
    static IdType fromParameter(String value) {
        if (value == null || value.isEmpty()) {
            return ID;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        for (IdType type : values()) {
            if (type.parameter.equals(lower)) {
                return type;
            }
        }
        return null;
    }
}
