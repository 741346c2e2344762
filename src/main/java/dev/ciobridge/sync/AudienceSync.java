package dev.ciobridge.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.ApiSurface;
import dev.ciobridge.customerio.CustomerIoErrors;
import dev.ciobridge.customerio.CustomerIoResponse;
import dev.ciobridge.customerio.PathSegments;

/**
 * A run of a {@code segment-audience-sync}: people whose id is in the query and not yet in the snapshot are added to
 * a manual segment with the Track API's {@code add_customers} (1000 ids a call, {@code id_type=id}). In mirror mode,
 * people in the snapshot that the query no longer returns are removed with {@code remove_customers}. The segment is
 * named by id, or by name, in which case it is looked up with the App API and created when missing.
 */
final class AudienceSync extends SyncRunner {

    /** Customer.io takes 1 to 1000 ids per add or remove call. */
    static final int IDS_PER_CALL = 1000;
    /** Row hash of a confirmed member: audience rows have no content to compare. */
    private static final long MEMBER = 1;

    private static final Logger LOG = LoggerFactory.getLogger(AudienceSync.class);

    private String segmentId;

    AudienceSync(SyncRun run, SyncServices services, BooleanSupplier stopping) {
        super(run, services, stopping);
    }

    @Override
    int chunkSize() {
        return IDS_PER_CALL;
    }

    @Override
    boolean keyOnly() {
        return true;
    }

    @Override
    boolean unchanged(SourceRow row, long storedHash) {
        return storedHash == MEMBER;
    }

    @Override
    void prepare() throws Exception {
        resolveSegment();
        String snapshotSegment = services.snapshots().segmentId(definition.syncId());
        if (segmentId != null && segmentId.equals(snapshotSegment)) {
            return;
        }
        // The snapshot lists who was added to another segment (or, when no segment id is stored, to an unknown one).
        // Every member is added again, and mirror mode removes nobody from the new segment on its basis.
        if (snapshotSegment != null || services.snapshots().count(definition.syncId()) > 0) {
            LOG.info("Sync {} run {}: the snapshot describes segment {} and the run targets segment {}; every member is added"
                    + " again", definition.syncId(), run.id, snapshotSegment == null ? "unknown" : snapshotSegment, segmentId);
        }
        if (run.dryRun || segmentId == null) {
            snapshotDiscarded = true;
        } else {
            services.snapshots().startSegment(definition.syncId(), segmentId);
        }
    }

    /** Sets {@link #segmentId}: the segment parameter when numeric, else the id of the manual segment of that name. */
    private void resolveSegment() throws Exception {
        String segment = definition.segment();
        if (segment.matches("\\d+")) {
            segmentId = segment;
            return;
        }
        CustomerIoResponse list = app("GET", "/v1/segments", null);
        for (JsonNode existing : Json.MAPPER.readTree(list.body()).path("segments")) {
            if (segment.equals(existing.path("name").asText()) && "manual".equals(existing.path("type").asText("manual"))) {
                segmentId = existing.path("id").asText();
                return;
            }
        }
        if (run.dryRun) {
            LOG.info("Sync {} dry run {}: manual segment '{}' does not exist; a real run creates it", definition.syncId(), run.id,
                    segment);
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("segment").put("name", segment).put("description", "Kept by cio-bridge sync " + definition.syncId());
        CustomerIoResponse created = app("POST", "/v1/segments", Json.write(body));
        segmentId = Json.MAPPER.readTree(created.body()).path("segment").path("id").asText(null);
        if (segmentId == null) {
            throw new RunAborted("creating manual segment '" + segment + "' returned no segment id: " + created.bodyText());
        }
        LOG.info("Sync {} run {}: created manual segment '{}' with id {} in account {}", definition.syncId(), run.id, segment,
                segmentId, account.id());
    }

    private CustomerIoResponse app(String method, String path, byte[] body) throws Exception {
        CustomerIoResponse response;
        try {
            response = services.calls().send(account, ApiSurface.APP, method, path, body, run, stopping);
        } catch (SyncCalls.CallFailed e) {
            throw new RunAborted("App API " + method + " " + path + " failed: " + e.getMessage());
        } catch (ApiException e) {
            throw new RunAborted(e.getMessage());
        }
        if (!response.isSuccess()) {
            throw new RunAborted("App API " + method + " " + path + " failed: " + CustomerIoErrors.describe(response.status(), response.body()));
        }
        return response;
    }

    @Override
    void process(List<Change> chunk) throws Exception {
        if (run.dryRun) {
            run.sent.addAndGet(chunk.size());
            chunk.stream().filter(Change::retry).forEach(change -> run.retried.incrementAndGet());
            return;
        }
        List<String> ids = new ArrayList<>(chunk.size());
        chunk.forEach(change -> ids.add(change.row().key()));
        String failure = membershipCall("add_customers", ids);
        List<SnapshotStore.Entry> entries = new ArrayList<>();
        for (Change change : chunk) {
            if (failure == null) {
                run.sent.incrementAndGet();
                if (change.retry()) {
                    run.retried.incrementAndGet();
                }
            } else if (failure.startsWith("rejected: ")) {
                run.rejected(change.row().key(), "ids", failure.substring(10));
            } else if (stopping.getAsBoolean()) {
                continue;
            } else {
                run.failed(change.row().key(), failure);
            }
            entries.add(new SnapshotStore.Entry(change.row().key(), change.keyHash(), failure == null ? MEMBER : 0, null,
                    change.stored()));
        }
        services.snapshots().write(definition.syncId(), entries);
    }

    @Override
    void finish() throws Exception {
        if (definition.mode() != SyncDefinition.AudienceMode.MIRROR) {
            return;
        }
        List<String> leaving = new ArrayList<>();
        services.snapshots().forEachKey(definition.syncId(), index::isStoredUnseen, leaving::add);
        if (run.dryRun) {
            run.removed.addAndGet(leaving.size());
            return;
        }
        for (int from = 0; from < leaving.size() && !stopping.getAsBoolean(); from += IDS_PER_CALL) {
            List<String> ids = leaving.subList(from, Math.min(leaving.size(), from + IDS_PER_CALL));
            String failure = membershipCall("remove_customers", ids);
            if (failure == null) {
                services.snapshots().delete(definition.syncId(), ids);
                run.removed.addAndGet(ids.size());
            } else if (failure.startsWith("rejected: ")) {
                ids.forEach(id -> run.rejected(id, "ids", "removing from the segment: " + failure.substring(10)));
            } else if (!stopping.getAsBoolean()) {
                ids.forEach(id -> run.failed(id, "removing from the segment: " + failure));
            }
        }
    }

    /** Adds or removes people; returns null on success, {@code "rejected: reason"} for a 4xx, or the failure otherwise. */
    private String membershipCall(String action, List<String> ids) throws Exception {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode array = body.putArray("ids");
        ids.forEach(array::add);
        CustomerIoResponse response;
        try {
            response = services.calls().send(account, ApiSurface.TRACK, "POST",
                    "/api/v1/segments/" + PathSegments.encode(segmentId) + "/" + action + "?id_type=id", Json.write(body), run, stopping);
        } catch (SyncCalls.CallFailed e) {
            return e.getMessage();
        }
        if (response.isSuccess()) {
            return null;
        }
        String reason = CustomerIoErrors.describe(response.status(), response.body());
        if (response.status() == 401 || response.status() == 403 || response.status() == 404) {
            throw new RunAborted("segment " + segmentId + " of account " + account.id() + ": " + reason);
        }
        return "rejected: " + reason;
    }
}
