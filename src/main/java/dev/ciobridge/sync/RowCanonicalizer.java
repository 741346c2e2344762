package dev.ciobridge.sync;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.Person;
import dev.ciobridge.customerio.Timestamps;

/**
 * Turns rows of a sync's query into {@link SourceRow}s with the values Customer.io takes: ids as strings, whole numbers
 * within 64 bits as JSON integers, other numbers as JSON numbers with their exact decimal value (the shortest decimal
 * that reads back as the same float or double, never a binary float artefact), booleans as booleans, SQL dates and
 * times as Unix seconds (a time without zone is read as UTC), and strings as they are. A column whose name ends in
 * {@code _at} contains a time: numbers there are Unix seconds or milliseconds (distinguished by size) and strings are parsed
 * as ISO-8601, with {@link Timestamps}. NaN, infinities and unreadable times make the row invalid.
 */
final class RowCanonicalizer {

    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

    private final String[] labels;
    private final int[] types;
    private final int keyIndex;
    private final int emailIndex;
    private final String keyColumn;
    private final boolean keyOnly;

    /**
     * @throws IllegalArgumentException when the query lacks the key or email column
     */
    RowCanonicalizer(ResultSetMetaData metadata, String idColumn, String emailColumn, boolean keyOnly) throws SQLException {
        this.keyOnly = keyOnly;
        int count = metadata.getColumnCount();
        labels = new String[count + 1];
        types = new int[count + 1];
        int key = -1;
        int email = -1;
        for (int i = 1; i <= count; i++) {
            labels[i] = metadata.getColumnLabel(i);
            types[i] = metadata.getColumnType(i);
            String typeName = String.valueOf(metadata.getColumnTypeName(i)).toLowerCase(Locale.ROOT);
            if (types[i] == Types.TIMESTAMP && (typeName.equals("timestamptz") || typeName.contains("with time zone"))) {
                // PostgreSQL's driver reports timestamptz as TIMESTAMP, but reads it only as an OffsetDateTime.
                types[i] = Types.TIMESTAMP_WITH_TIMEZONE;
            }
            if (labels[i].equalsIgnoreCase(idColumn)) {
                key = i;
            } else if (emailColumn != null && labels[i].equalsIgnoreCase(emailColumn)) {
                email = i;
            }
        }
        if (key < 0) {
            throw new IllegalArgumentException("idColumn '" + idColumn + "' is not a column of the query; its columns are "
                    + java.util.Arrays.asList(labels).subList(1, labels.length));
        }
        if (emailColumn != null && email < 0) {
            throw new IllegalArgumentException("emailColumn '" + emailColumn + "' is not a column of the query");
        }
        this.keyIndex = key;
        this.emailIndex = email;
        this.keyColumn = labels[key];
    }

    String keyColumn() {
        return keyColumn;
    }

    /** Returns the label of the email column, or null when the sync has none. */
    String emailLabel() {
        return emailIndex > 0 ? labels[emailIndex] : null;
    }

    SourceRow read(ResultSet rows, long rowNumber) throws SQLException {
        String key;
        try {
            key = keyOf(rows.getObject(keyIndex));
        } catch (IllegalArgumentException e) {
            return SourceRow.invalid(rowNumber, null, keyColumn, e.getMessage());
        }
        ObjectNode columns = NODES.objectNode();
        if (keyOnly) {
            return new SourceRow(rowNumber, key, columns, 1, null, null);
        }
        for (int i = 1; i < labels.length; i++) {
            if (i == keyIndex) {
                continue;
            }
            String name = i == emailIndex ? Person.EMAIL : labels[i];
            try {
                columns.set(name, value(rows, i));
            } catch (IllegalArgumentException e) {
                return invalidWithEmail(rows, rowNumber, key, labels[i], e.getMessage());
            }
        }
        if (emailIndex > 0 && columns.get(Person.EMAIL).isTextual()) {
            try {
                columns.put(Person.EMAIL, Person.of(Person.EMAIL, columns.get(Person.EMAIL).asText(), labels[emailIndex]).value());
            } catch (IllegalArgumentException e) {
                return SourceRow.invalid(rowNumber, key, labels[emailIndex], e.getMessage());
            }
        }
        return new SourceRow(rowNumber, key, columns, rowHash(columns), null, null);
    }

    /**
     * Returns an invalid row that still carries its email, as the first pass compares it, so that the rows sharing that
     * email can name this row's key.
     */
    private SourceRow invalidWithEmail(ResultSet rows, long rowNumber, String key, String field, String message)
            throws SQLException {
        String email = emailIndex > 0 ? SourceQuery.canonicalEmail(rows.getString(emailIndex)) : null;
        if (email == null) {
            return SourceRow.invalid(rowNumber, key, field, message);
        }
        ObjectNode columns = NODES.objectNode().put(Person.EMAIL, email);
        return new SourceRow(rowNumber, key, columns, 0, field, message);
    }

    /**
     * Returns a number as a JSON number: a whole value within 64 bits as an integer, any other value of a fractional
     * column (floating-point, or DECIMAL with a scale) as its exact decimal without trailing zeros. A whole value beyond
     * 64 bits in an integer column goes as its digits in a string.
     */
    private static JsonNode numberNode(BigDecimal decimal, boolean fractionalColumn) {
        BigDecimal stripped = decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            BigInteger whole = stripped.toBigIntegerExact();
            if (whole.bitLength() < 64) {
                return NODES.numberNode(whole.longValue());
            }
            // Built from the digits, so that it is written without an exponent.
            return fractionalColumn ? DecimalNode.valueOf(new BigDecimal(whole)) : NODES.textNode(whole.toString());
        }
        // DecimalNode.valueOf keeps the value as given, where the node factory may rewrite it.
        return DecimalNode.valueOf(stripped);
    }

    /** Hashes the mapped columns by name, JSON type and value, in query order. */
    private static long rowHash(ObjectNode columns) {
        Hashes.RowHash hash = new Hashes.RowHash();
        var fields = columns.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode value = field.getValue();
            hash.add(field.getKey());
            if (value.isNull()) {
                hash.add('z');
            } else {
                hash.add(value.isTextual() ? 's' : value.isBoolean() ? 'b' : 'n').add(value.asText());
            }
        }
        return hash.finish();
    }

    private String keyOf(Object raw) {
        if (raw == null) {
            throw new IllegalArgumentException("the key is NULL");
        }
        if (raw instanceof Double || raw instanceof Float) {
            throw new IllegalArgumentException("the key must be a string or a whole number, got a floating-point value");
        }
        if (raw instanceof BigDecimal decimal && decimal.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("the key must be a string or a whole number, got " + decimal.toPlainString());
        }
        return Person.of(Person.ID, keyText(raw), keyColumn).value();
    }

    /** Returns a key value as text: whole decimals without a fraction or exponent, anything else by its string form. */
    static String keyText(Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        return raw.toString();
    }

    private static boolean isSqlTime(int type) {
        return type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE || type == Types.DATE;
    }

    /** Reads a TIMESTAMP, TIMESTAMP WITH TIME ZONE or DATE column as Unix seconds, or JSON null. */
    private JsonNode sqlTime(ResultSet rows, int index) throws SQLException {
        switch (types[index]) {
            case Types.TIMESTAMP: {
                LocalDateTime value = rows.getObject(index, LocalDateTime.class);
                if (value == null) {
                    return NODES.nullNode();
                }
                boolean infinite = value.equals(LocalDateTime.MAX) || value.equals(LocalDateTime.MIN);
                return plausibleTime(value.toEpochSecond(ZoneOffset.UTC), infinite, value);
            }
            case Types.TIMESTAMP_WITH_TIMEZONE: {
                OffsetDateTime value = rows.getObject(index, OffsetDateTime.class);
                if (value == null) {
                    return NODES.nullNode();
                }
                boolean infinite = value.equals(OffsetDateTime.MAX) || value.equals(OffsetDateTime.MIN);
                return plausibleTime(value.toEpochSecond(), infinite, value);
            }
            case Types.DATE: {
                LocalDate value = rows.getObject(index, LocalDate.class);
                if (value == null) {
                    return NODES.nullNode();
                }
                boolean infinite = value.equals(LocalDate.MAX) || value.equals(LocalDate.MIN);
                return plausibleTime(value.toEpochDay() * 86_400L, infinite, value);
            }
            default:
                throw new IllegalStateException("SQL type " + types[index] + " is not a date or time");
        }
    }

    /**
     * Returns Unix seconds of an SQL date or time, which must fall in the range that {@link Timestamps} accepts for
     * numbers and strings.
     *
     * @param infinite whether the driver returned its value for PostgreSQL's {@code infinity} or {@code -infinity}
     * @throws IllegalArgumentException for an infinite time or one outside that range
     */
    private static JsonNode plausibleTime(long seconds, boolean infinite, Object value) {
        if (infinite) {
            throw new IllegalArgumentException("the time is infinite; Customer.io takes only times between 2000 and 2100");
        }
        return NODES.numberNode(Timestamps.requirePlausible(seconds, String.valueOf(value)));
    }

    private JsonNode value(ResultSet rows, int index) throws SQLException {
        boolean time = labels[index].toLowerCase(Locale.ROOT).endsWith("_at");
        if (isSqlTime(types[index])) {
            return sqlTime(rows, index);
        }
        Object raw = rows.getObject(index);
        if (raw == null) {
            return NODES.nullNode();
        }
        if (raw instanceof Clob clob) {
            raw = clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length()));
        }
        if (raw instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        boolean floating = raw instanceof Double || raw instanceof Float;
        if (floating) {
            double number = ((Number) raw).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                throw new IllegalArgumentException("the value is " + raw + "; Customer.io takes only finite numbers");
            }
            // The shortest decimal that reads back as the same float or double (Schubfach), never a binary artefact.
            String shortest = raw instanceof Float single ? NumberOutput.toString(single.floatValue(), true)
                    : NumberOutput.toString(number, true);
            raw = new BigDecimal(shortest);
        }
        if (raw instanceof Number number) {
            BigDecimal decimal = raw instanceof BigDecimal big ? big : new BigDecimal(number.toString());
            if (time) {
                return NODES.numberNode(Timestamps.toUnixSeconds(decimal));
            }
            return numberNode(decimal, floating || decimal.scale() > 0);
        }
        if (raw instanceof String text) {
            return time ? NODES.numberNode(Timestamps.toUnixSeconds(text)) : NODES.textNode(text);
        }
        if (raw instanceof java.util.UUID || raw instanceof Character) {
            return NODES.textNode(raw.toString());
        }
        throw new IllegalArgumentException("values of SQL type " + raw.getClass().getSimpleName()
                + " are not supported; cast the column to a string or a number in the query");
    }
}
