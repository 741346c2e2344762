package dev.ciobridge.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks a run makes on its query before reading it row by row: which keys occur more than once and which emails
 * belong to more than one key. Both are answered by the source database with GROUP BY over the query as a subquery, so
 * the stream itself never has to hold rows back.
 */
final class SourceQuery {

    /** Keys found on more than one row, and the keys sharing each email that more than one key has. */
    record Conflicts(Set<String> duplicateKeys, Map<String, List<String>> keysByConflictingEmail) {
    }

    private SourceQuery() {
    }

    /** Returns the query's column label that matches the name case-insensitively, or null. */
    static String label(ResultSetMetaData metadata, String name) throws SQLException {
        for (int i = 1; i <= metadata.getColumnCount(); i++) {
            if (metadata.getColumnLabel(i).equalsIgnoreCase(name)) {
                return metadata.getColumnLabel(i);
            }
        }
        return null;
    }

    static Conflicts conflicts(Connection connection, String query, String keyLabel, String emailLabel) throws SQLException {
        String key = quote(keyLabel);
        Set<String> duplicates = new HashSet<>();
        String duplicateSql = "SELECT " + key + " FROM (" + query + ") sync_query WHERE " + key + " IS NOT NULL GROUP BY " + key
                + " HAVING COUNT(*) > 1";
        try (PreparedStatement select = connection.prepareStatement(duplicateSql); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                duplicates.add(keyText(rows.getObject(1)));
            }
        }
        Map<String, List<String>> byEmail = new HashMap<>();
        if (emailLabel != null) {
            String email = "LOWER(TRIM(" + quote(emailLabel) + "))";
            String emailSql = "SELECT " + email + ", " + key + " FROM (" + query + ") sync_query WHERE " + email + " IN (SELECT "
                    + email + " FROM (" + query + ") sync_emails WHERE " + key + " IS NOT NULL GROUP BY " + email
                    + " HAVING COUNT(DISTINCT " + key + ") > 1)";
            try (PreparedStatement select = connection.prepareStatement(emailSql); ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    List<String> keys = byEmail.computeIfAbsent(rows.getString(1), e -> new ArrayList<>());
                    String value = keyText(rows.getObject(2));
                    if (value != null && !keys.contains(value)) {
                        keys.add(value);
                    }
                }
            }
        }
        return new Conflicts(duplicates, byEmail);
    }

    static long count(Connection connection, String query) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM (" + query + ") sync_query");
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** A key as the row canonicaliser writes it, so that the sets above match the keys of streamed rows. */
    private static String keyText(Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof java.math.BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        return raw.toString();
    }

    /** Quotes a column label as an SQL identifier, so that its case is kept on H2 and PostgreSQL alike. */
    static String quote(String label) {
        return "\"" + label.replace("\"", "\"\"") + "\"";
    }
}
