package dev.ciobridge.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One canonical row of a sync's query: its key, its mapped columns (NULL columns as JSON null) and the hash of both.
 * A row that cannot be synced carries the column at fault and the reason instead.
 */
record SourceRow(long rowNumber, String key, ObjectNode columns, long rowHash, String problemField, String problem) {

    static SourceRow invalid(long rowNumber, String key, String field, String message) {
        return new SourceRow(rowNumber, key, null, 0, field, message);
    }

    boolean isValid() {
        return problem == null;
    }
}
