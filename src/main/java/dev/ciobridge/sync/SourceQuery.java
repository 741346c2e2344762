package dev.ciobridge.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.ciobridge.customerio.Person;

/**
 * The first of a run's two passes over its query. It streams only the key and email columns, and finds the keys on
 * more than one row and the emails of more than one key. The second pass can then mark all those rows invalid before
 * any of them is sent. It contains 64-bit hashes only, about 50 bytes per row at most.
 */
final class SourceQuery {

    /** Findings of the first pass: duplicate keys and shared emails (by hash), and the number of rows. */
    static final class Conflicts {

        final Set<Long> duplicateKeys = new HashSet<>();
        final Set<Long> sharedEmails = new HashSet<>();
        /** For each shared email, the keys found with it; filled by the second pass. */
        final Map<String, Set<String>> keysBySharedEmail = new HashMap<>();
        long rows;

        boolean isDuplicate(long keyHash) {
            return !duplicateKeys.isEmpty() && duplicateKeys.contains(keyHash);
        }

        boolean isShared(String email) {
            return !sharedEmails.isEmpty() && email != null && sharedEmails.contains(Hashes.of(email));
        }
    }

    private SourceQuery() {
    }

    static Conflicts conflicts(Connection connection, String query, String keyLabel, String emailLabel, int fetchSize)
            throws SQLException {
        String sql = "SELECT " + quote(keyLabel) + (emailLabel == null ? "" : ", " + quote(emailLabel)) + " FROM (" + query
                + ") sync_query";
        Conflicts conflicts = new Conflicts();
        SnapshotIndex keys = new SnapshotIndex(1 << 16);
        SnapshotIndex emails = emailLabel == null ? null : new SnapshotIndex(1 << 16);
        try (PreparedStatement select = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            select.setFetchSize(fetchSize);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    conflicts.rows++;
                    String key = RowCanonicalizer.keyText(rows.getObject(1));
                    if (key == null) {
                        continue;
                    }
                    long keyHash = Hashes.of(key);
                    if (keys.markSeen(keyHash) == null) {
                        conflicts.duplicateKeys.add(keyHash);
                    }
                    String email = emails == null ? null : canonicalEmail(rows.getString(2));
                    if (email != null) {
                        long emailHash = Hashes.of(email);
                        long owner = emails.rowHash(emailHash);
                        if (owner == SnapshotIndex.ABSENT) {
                            emails.putStored(emailHash, keyHash);
                        } else if (owner != keyHash) {
                            conflicts.sharedEmails.add(emailHash);
                        }
                    }
                }
            }
        }
        return conflicts;
    }

    /** Returns an email as Customer.io compares it (trimmed and lower-cased), or null when blank. */
    static String canonicalEmail(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return raw.trim().toLowerCase(Locale.ROOT);
    }

    /** Quotes a column label as an SQL identifier, so that its case is kept on H2 and PostgreSQL alike. */
    static String quote(String label) {
        return "\"" + label.replace("\"", "\"\"") + "\"";
    }

    static final String EMAIL = Person.EMAIL;
}
