package dev.ciobridge.sync;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.ApiSurface;
import dev.ciobridge.customerio.CustomerIoErrors;
import dev.ciobridge.customerio.CustomerIoResponse;
import dev.ciobridge.customerio.Person;
import dev.ciobridge.customerio.TrackBatchErrors;
import dev.ciobridge.customerio.TrackEntity;
import dev.ciobridge.customerio.TrackLimits;
import dev.ciobridge.outbox.TrackSender;

/**
 * A run of a {@code contact-attribute-sync}: each changed row becomes a Track identify carrying only the attributes
 * whose value differs from what Customer.io last confirmed, sent through {@code /api/v2/batch} in batches closed on
 * bytes and count. A row's snapshot changes only once Customer.io confirmed it, so rejected and failed rows go out
 * again on the next run.
 */
final class AttributeSync extends SyncRunner {

    /** One identify ready to send, with the attribute state it leads to and the state it replaces. */
    private record Outgoing(Change change, TrackEntity entity, ObjectNode next, ObjectNode prior) {
    }

    private final int maxBatchBytes;

    AttributeSync(SyncRun run, SyncServices services, BooleanSupplier stopping) {
        super(run, services, stopping);
        this.maxBatchBytes = Math.min(services.batchMaxBytes(), TrackLimits.BATCH_BYTES);
    }

    @Override
    int chunkSize() {
        return services.batchMaxItems();
    }

    @Override
    boolean keyOnly() {
        return false;
    }

    @Override
    boolean unchanged(SourceRow row, long storedHash) {
        return storedHash == row.rowHash();
    }

    @Override
    void process(List<Change> chunk) throws Exception {
        List<String> storedKeys = new ArrayList<>();
        for (Change change : chunk) {
            if (change.stored()) {
                storedKeys.add(change.row().key());
            }
        }
        Map<String, String> states = storedKeys.isEmpty() ? Map.of()
                : services.snapshots().states(definition.syncId(), storedKeys);
        long now = System.currentTimeMillis() / 1000;
        List<SnapshotStore.Entry> quiet = new ArrayList<>();
        List<Outgoing> outgoing = new ArrayList<>();
        for (Change change : chunk) {
            String state = states.get(change.row().key());
            ObjectNode prior = state == null ? Json.MAPPER.createObjectNode() : (ObjectNode) Json.MAPPER.readTree(state);
            ObjectNode next = prior.deepCopy();
            ObjectNode attributes = diff(change.row().columns(), prior, next);
            if (attributes.isEmpty()) {
                // Only NULLs appeared under nulls=skip: nothing to send, but the new row hash saves the work next time.
                run.unchanged.incrementAndGet();
                quiet.add(confirmed(change, next));
                continue;
            }
            TrackEntity entity;
            try {
                entity = TrackEntity.identify(new Person(Person.ID, change.row().key()), now, attributes, "attributes");
            } catch (IllegalArgumentException e) {
                run.invalid(change.row().rowNumber(), change.row().key(), fieldOf(e.getMessage(), attributes), e.getMessage());
                continue;
            }
            // NOTE: a row this large could still go alone through the v1 identify endpoint, which takes larger
            // bodies; syncs send only through /api/v2/batch, so such a row is reported invalid instead.
            if (!entity.fitsV2()) {
                run.invalid(change.row().rowNumber(), change.row().key(), null, "the identify for this row is " + entity.bytes()
                        + " bytes; /api/v2/batch takes at most " + TrackLimits.ENTITY_BYTES + " bytes per item");
                continue;
            }
            outgoing.add(new Outgoing(change, entity, next, prior));
        }
        if (run.dryRun) {
            run.sent.addAndGet(outgoing.size());
            outgoing.stream().filter(item -> item.change().retry()).forEach(item -> run.retried.incrementAndGet());
            return;
        }
        services.snapshots().write(definition.syncId(), quiet);
        for (List<Outgoing> batch : batches(outgoing)) {
            send(batch);
        }
    }

    /**
     * Fills {@code next} with the state after the change and returns the attributes to send: values that differ from
     * {@code prior}, and under {@code nulls=delete} an empty string for each attribute that became NULL.
     */
    private ObjectNode diff(ObjectNode columns, ObjectNode prior, ObjectNode next) {
        ObjectNode attributes = Json.MAPPER.createObjectNode();
        var fields = columns.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            JsonNode before = prior.get(name);
            if (value.isNull()) {
                if (definition.nulls() == SyncDefinition.NullHandling.DELETE && before != null) {
                    // NOTE: Customer.io documents removal by an empty value for object attributes only. An empty string is
                    // used for people too because the identify schema takes strings, not null.
                    attributes.put(name, "");
                    next.remove(name);
                }
            } else if (before == null || !before.toString().equals(value.toString())) {
                attributes.set(name, value);
                next.set(name, value);
            }
        }
        return attributes;
    }

    private List<List<Outgoing>> batches(List<Outgoing> outgoing) {
        List<List<Outgoing>> batches = new ArrayList<>();
        List<Outgoing> current = new ArrayList<>();
        long bytes = 0;
        for (Outgoing item : outgoing) {
            boolean full = current.size() >= services.batchMaxItems()
                    || bytes + item.entity().bytes() + TrackSender.batchOverhead(current.size() + 1) > maxBatchBytes;
            if (full && !current.isEmpty()) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(item);
            bytes += item.entity().bytes();
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    private void send(List<Outgoing> batch) throws Exception {
        StringBuilder body = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < batch.size(); i++) {
            body.append(i == 0 ? "" : ",").append(batch.get(i).entity().json());
        }
        body.append("]}");
        CustomerIoResponse response;
        try {
            response = services.calls().send(account, ApiSurface.TRACK, "POST", "/api/v2/batch",
                    body.toString().getBytes(StandardCharsets.UTF_8), run, stopping);
        } catch (SyncCalls.CallFailed e) {
            unconfirmed(batch, e.getMessage());
            return;
        }
        int status = response.status();
        if (status == 401 || status == 403) {
            unconfirmed(batch, CustomerIoErrors.describe(status, response.body()));
            throw new RunAborted("Customer.io rejected the Track API credentials of account " + account.id() + ": "
                    + CustomerIoErrors.describe(status, response.body()));
        }
        if (status >= 400) {
            if (batch.size() > 1) {
                // Customer.io rejected the whole batch: send each item alone, so only the bad ones are rejected.
                for (Outgoing item : batch) {
                    send(List.of(item));
                }
                return;
            }
            rejectAll(batch, response);
            return;
        }
        Set<Integer> rejectedIndexes = new HashSet<>();
        List<SnapshotStore.Entry> entries = new ArrayList<>();
        if (status == 207) {
            for (TrackBatchErrors.ItemError error : TrackBatchErrors.parse(response.body(), batch.size()).items()) {
                if (rejectedIndexes.add(error.batchIndex())) {
                    Outgoing item = batch.get(error.batchIndex());
                    run.rejected(item.change().row().key(), error.field(), error.message() != null ? error.message() : error.description());
                    entries.add(unconfirmedEntry(item));
                }
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            if (!rejectedIndexes.contains(i)) {
                Outgoing item = batch.get(i);
                entries.add(confirmed(item.change(), item.next()));
                run.sent.incrementAndGet();
                if (item.change().retry()) {
                    run.retried.incrementAndGet();
                }
            }
        }
        services.snapshots().write(definition.syncId(), entries);
    }

    private void rejectAll(List<Outgoing> batch, CustomerIoResponse response) throws Exception {
        String field = null;
        String message = CustomerIoErrors.describe(response.status(), response.body());
        try {
            JsonNode first = Json.MAPPER.readTree(response.body()).path("errors").path(0);
            field = first.path("field").asText(null);
            message = first.path("message").asText(message);
        } catch (Exception unreadable) {
            // The description above already quotes the body.
        }
        List<SnapshotStore.Entry> entries = new ArrayList<>();
        for (Outgoing item : batch) {
            run.rejected(item.change().row().key(), field, message);
            entries.add(unconfirmedEntry(item));
        }
        services.snapshots().write(definition.syncId(), entries);
    }

    /** Records rows whose request failed, so the next run sends them again and counts them as retried. */
    private void unconfirmed(List<Outgoing> batch, String reason) throws Exception {
        if (stopping.getAsBoolean()) {
            return;
        }
        List<SnapshotStore.Entry> entries = new ArrayList<>();
        for (Outgoing item : batch) {
            run.failed(item.change().row().key(), reason);
            entries.add(unconfirmedEntry(item));
        }
        services.snapshots().write(definition.syncId(), entries);
    }

    private static SnapshotStore.Entry confirmed(Change change, ObjectNode next) {
        return new SnapshotStore.Entry(change.row().key(), change.keyHash(), change.row().rowHash(), next.toString(), change.stored());
    }

    private static SnapshotStore.Entry unconfirmedEntry(Outgoing item) {
        Change change = item.change();
        return new SnapshotStore.Entry(change.row().key(), change.keyHash(), 0, item.prior().toString(), change.stored());
    }

    /** Returns the column that a limit message from {@link TrackEntity} names, or null when it names none. */
    private static String fieldOf(String message, ObjectNode attributes) {
        var names = attributes.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (message.startsWith("attributes." + name + " ")) {
                return name;
            }
        }
        return null;
    }
}
