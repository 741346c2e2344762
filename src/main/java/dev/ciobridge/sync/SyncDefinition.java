package dev.ciobridge.sync;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.quartz.CronExpression;

/**
 * One sync as its templated route declares it. Built from the route's template parameters, and checked here so that a
 * wrong value is reported with the parameter's name.
 */
public record SyncDefinition(
        String syncId,
        Kind kind,
        String routeId,
        String account,
        String source,
        String query,
        String idColumn,
        String emailColumn,
        String schedule,
        NullHandling nulls,
        String segment,
        AudienceMode mode) {

    /** The route template a sync comes from; its name is the template id and the route group. */
    public enum Kind {
        ATTRIBUTES("contact-attribute-sync"),
        AUDIENCE("segment-audience-sync");

        private final String templateId;

        Kind(String templateId) {
            this.templateId = templateId;
        }

        public String templateId() {
            return templateId;
        }

        static Kind ofTemplate(String templateId) {
            for (Kind kind : values()) {
                if (kind.templateId.equals(templateId)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** Handling of a column that had a value and becomes NULL, in an attribute sync. */
    public enum NullHandling {
        /** Nothing is sent, and the person keeps the value Customer.io has. */
        SKIP,
        /** The attribute is removed from the person (sent as an empty string). */
        DELETE
    }

    /** Whether an audience sync only adds people to the segment, or also removes those no longer in the query. */
    public enum AudienceMode {
        UPSERT,
        MIRROR
    }

    /**
     * Builds a definition from a templated route's parameters.
     *
     * @throws IllegalArgumentException naming the parameter that is missing or invalid
     */
    static SyncDefinition of(Kind kind, String routeId, Map<String, Object> parameters) {
        String syncId = required(parameters, "syncId");
        if (!syncId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")) {
            throw new IllegalArgumentException("syncId must be 1 to 100 letters, digits, '-', '_' or '.', got '" + syncId + "'");
        }
        String schedule = required(parameters, "schedule");
        checkSchedule(schedule);
        String account = required(parameters, "account");
        String source = required(parameters, "source");
        if (!source.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("source must name a cio-bridge.sources.<name> entry (letters, digits, '-', '_'), got '"
                    + source + "'");
        }
        String query = required(parameters, "query").strip();
        if (query.endsWith(";")) {
            query = query.substring(0, query.length() - 1).strip();
        }
        if (!startsWithSelect(query)) {
            throw new IllegalArgumentException("query must be a SELECT (or WITH ... SELECT); the sync only reads its source, got '"
                    + (query.length() > 60 ? query.substring(0, 60) + "..." : query) + "'");
        }
        String idColumn = required(parameters, "idColumn");
        String emailColumn = optional(parameters, "emailColumn");
        Kind other = kind == Kind.ATTRIBUTES ? Kind.AUDIENCE : Kind.ATTRIBUTES;
        String foreign = kind == Kind.ATTRIBUTES ? "mode" : "nulls";
        if (parameters.get(foreign) != null) {
            throw new IllegalArgumentException("parameter " + foreign + " applies to " + other.templateId() + " only, not to "
                    + kind.templateId());
        }
        if (kind == Kind.ATTRIBUTES) {
            NullHandling nulls = parseEnum(NullHandling.class, optionalOr(parameters, "nulls", "skip"), "nulls", "'skip' or 'delete'");
            return new SyncDefinition(syncId, kind, routeId, account, source, query, idColumn, emailColumn, schedule, nulls,
                    null, null);
        }
        if (emailColumn != null) {
            throw new IllegalArgumentException("emailColumn applies to contact-attribute-sync only; segment-audience-sync adds"
                    + " people by idColumn");
        }
        String segment = required(parameters, "segment");
        AudienceMode mode = parseEnum(AudienceMode.class, optionalOr(parameters, "mode", "upsert"), "mode", "'upsert' or 'mirror'");
        return new SyncDefinition(syncId, kind, routeId, account, source, query, idColumn, null, schedule, null, segment, mode);
    }

    /** Returns whether a query's first keyword, after comments and whitespace, is SELECT or WITH. */
    static boolean startsWithSelect(String query) {
        String rest = query;
        while (true) {
            rest = rest.stripLeading();
            if (rest.startsWith("--")) {
                int end = rest.indexOf('\n');
                rest = end < 0 ? "" : rest.substring(end + 1);
            } else if (rest.startsWith("/*")) {
                int end = rest.indexOf("*/");
                rest = end < 0 ? "" : rest.substring(end + 2);
            } else {
                break;
            }
        }
        return rest.matches("(?is)(select|with)\\b.*");
    }

    /** Upper bound of each numeric field of a cron expression, in order: seconds, minutes, hours, day of month, month, day of week. */
    private static final int[] CRON_FIELD_MAX = {59, 59, 23, 31, 12, 7};
    private static final String[] CRON_FIELD_NAMES = {"seconds", "minutes", "hours", "day-of-month", "month", "day-of-week"};

    /**
     * Checks a Quartz cron expression. Quartz 2.5.2 parses some out-of-range values, such as minute 99, without an
     * error, so every number of the first six fields is also checked against the field's range.
     *
     * @throws IllegalArgumentException with Quartz's parse message or the field that is out of range
     */
    static void checkSchedule(String schedule) {
        String usage = "; schedule must be a Quartz cron expression (seconds minutes hours day-of-month month day-of-week"
                + " [year], such as '0 0/15 * * * ?')";
        if (!CronExpression.isValidExpression(schedule)) {
            String reason;
            try {
                CronExpression.validateExpression(schedule);
                reason = "invalid";
            } catch (java.text.ParseException e) {
                reason = e.getMessage();
            }
            throw new IllegalArgumentException("schedule '" + schedule + "' is invalid: " + reason + usage);
        }
        String[] fields = schedule.trim().split("\\s+");
        for (int field = 0; field < CRON_FIELD_MAX.length && field < fields.length; field++) {
            java.util.regex.Matcher numbers = java.util.regex.Pattern.compile("\\d+").matcher(fields[field]);
            while (numbers.find()) {
                if (Long.parseLong(numbers.group()) > CRON_FIELD_MAX[field]) {
                    throw new IllegalArgumentException("schedule '" + schedule + "' is invalid: " + CRON_FIELD_NAMES[field]
                            + " value " + numbers.group() + " is above " + CRON_FIELD_MAX[field] + usage);
                }
            }
        }
    }

    /** Returns the definition as the admin API shows it. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sync_id", syncId);
        json.put("template", kind.templateId());
        json.put("route_id", routeId);
        json.put("account", account);
        json.put("source", source);
        json.put("query", query);
        json.put("id_column", idColumn);
        if (emailColumn != null) {
            json.put("email_column", emailColumn);
        }
        json.put("schedule", schedule);
        if (kind == Kind.ATTRIBUTES) {
            json.put("nulls", nulls.name().toLowerCase(Locale.ROOT));
        } else {
            json.put("segment", segment);
            json.put("mode", mode.name().toLowerCase(Locale.ROOT));
        }
        return json;
    }

    private static String required(Map<String, Object> parameters, String name) {
        String value = optional(parameters, name);
        if (value == null) {
            throw new IllegalArgumentException("parameter " + name + " is missing");
        }
        return value;
    }

    private static String optional(Map<String, Object> parameters, String name) {
        Object value = parameters.get(name);
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        return value.toString().trim();
    }

    private static String optionalOr(Map<String, Object> parameters, String name, String defaultValue) {
        String value = optional(parameters, name);
        return value == null ? defaultValue : value;
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String name, String accepted) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter " + name + " must be " + accepted + ", got '" + value + "'");
        }
    }
}
