package dev.ciobridge.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.ciobridge.customerio.TrackLimits;

/** Tests {@link OutboxDispatcher#batches}, which uses only the byte and count limits given to the constructor. */
class OutboxDispatcherBatchesTest {

    private final List<OutboxDispatcher> dispatchers = new ArrayList<>();

    /** Builds a dispatcher that is never started, so the collaborators that batches() does not use stay null. */
    private OutboxDispatcher dispatcher(int batchMaxBytes, int batchMaxItems) {
        OutboxDispatcher dispatcher = new OutboxDispatcher(null, null, null, null, null, 100, batchMaxBytes,
                batchMaxItems, 1_000, 1);
        dispatchers.add(dispatcher);
        return dispatcher;
    }

    @AfterEach
    void closeDispatchers() throws Exception {
        for (OutboxDispatcher dispatcher : dispatchers) {
            dispatcher.close();
        }
    }

    private static OutboxRow row(long id, int entityBytes) {
        return new OutboxRow(id, "acct_1", "id:" + id, "stripe", "evt_" + id, "x".repeat(entityBytes), entityBytes, 0,
                1_768_423_008_000L + id);
    }

    /** Rows numbered from 1 with the given entity sizes. */
    private static List<OutboxRow> rows(int... entityBytes) {
        List<OutboxRow> rows = new ArrayList<>();
        for (int i = 0; i < entityBytes.length; i++) {
            rows.add(row(i + 1, entityBytes[i]));
        }
        return rows;
    }

    private static List<Integer> sizes(List<List<OutboxRow>> batches) {
        return batches.stream().map(List::size).toList();
    }

    private static long requestBytes(List<OutboxRow> batch) {
        return batch.stream().mapToLong(OutboxRow::entityBytes).sum() + TrackSender.batchOverhead(batch.size());
    }

    private static List<OutboxRow> flatten(List<List<OutboxRow>> batches) {
        return batches.stream().flatMap(List::stream).toList();
    }

    @Test
    void overheadIsEnvelopeAndCommas() {
        // {"batch":[ and ]} take 12 bytes, and two items need one comma.
        assertThat(TrackSender.batchOverhead(2)).isEqualTo(13);
    }

    @Test
    void emptyInputGivesNoBatches() {
        assertThat(dispatcher(1_000, 10).batches(List.of())).isEmpty();
    }

    @Test
    void bytesCloseBatches() {
        // Three rows of 300 bytes need 914 bytes with the envelope, and a fourth would need 1215.
        List<List<OutboxRow>> batches = dispatcher(1_000, 100).batches(rows(300, 300, 300, 300, 300, 300, 300));

        assertThat(sizes(batches)).containsExactly(3, 3, 1);
    }

    @Test
    void batchOfExactlyMaxBytesIsKept() {
        // 493 + 494 bytes plus the 13-byte envelope make exactly 1000.
        List<List<OutboxRow>> batches = dispatcher(1_000, 100).batches(rows(493, 494));

        assertThat(sizes(batches)).containsExactly(2);
    }

    @Test
    void batchOneByteOverMaxIsSplit() {
        List<List<OutboxRow>> batches = dispatcher(1_000, 100).batches(rows(494, 494));

        assertThat(sizes(batches)).containsExactly(1, 1);
    }

    @Test
    void randomSizesNeverExceedMaxBytes() {
        Random random = new Random(42);
        int[] sizes = IntStream.range(0, 500).map(i -> 1 + random.nextInt(3_000)).toArray();

        List<List<OutboxRow>> batches = dispatcher(10_000, 1_000).batches(rows(sizes));

        for (List<OutboxRow> batch : batches) {
            assertThat(requestBytes(batch)).as("bytes of batch starting at row %d", batch.get(0).id())
                    .isLessThanOrEqualTo(10_000);
        }
    }

    @Test
    void randomSizesCloseOnlyWhenFull() {
        Random random = new Random(7);
        int[] sizes = IntStream.range(0, 500).map(i -> 1 + random.nextInt(3_000)).toArray();

        List<List<OutboxRow>> batches = dispatcher(10_000, 1_000).batches(rows(sizes));

        for (int i = 0; i + 1 < batches.size(); i++) {
            List<OutboxRow> withNext = new ArrayList<>(batches.get(i));
            withNext.add(batches.get(i + 1).get(0));
            assertThat(requestBytes(withNext)).as("batch %d with the next row", i).isGreaterThan(10_000);
        }
    }

    @Test
    void randomSizesKeepOrder() {
        Random random = new Random(3);
        List<OutboxRow> rows = rows(IntStream.range(0, 500).map(i -> 1 + random.nextInt(40_000)).toArray());

        assertThat(flatten(dispatcher(100_000, 50).batches(rows))).containsExactlyElementsOf(rows);
    }

    @Test
    void countClosesBatches() {
        List<List<OutboxRow>> batches = dispatcher(100_000, 3).batches(rows(10, 10, 10, 10, 10, 10, 10));

        assertThat(sizes(batches)).containsExactly(3, 3, 1);
    }

    @Test
    void zeroMaxItemsMeansOneEach() {
        List<List<OutboxRow>> batches = dispatcher(100_000, 0).batches(rows(10, 10, 10));

        assertThat(sizes(batches)).containsExactly(1, 1, 1);
    }

    @Test
    void entityOver32KbGoesAlone() {
        List<OutboxRow> rows = rows(100, 100, TrackLimits.ENTITY_BYTES + 1, 100, 100);

        List<List<OutboxRow>> batches = dispatcher(500_000, 100).batches(rows);

        assertThat(batches).containsExactly(rows.subList(0, 2), List.of(rows.get(2)), rows.subList(3, 5));
    }

    @Test
    void entityOf32767BytesIsBatched() {
        List<List<OutboxRow>> batches = dispatcher(500_000, 100).batches(rows(100, TrackLimits.ENTITY_BYTES, 100));

        assertThat(sizes(batches)).containsExactly(3);
    }

    @Test
    void consecutiveLargeEntitiesGoAloneEach() {
        List<List<OutboxRow>> batches = dispatcher(500_000, 100).batches(rows(40_000, 50_000, 100));

        assertThat(sizes(batches)).containsExactly(1, 1, 1);
    }

    @Test
    void rowAboveMaxBytesGoesAlone() {
        List<List<OutboxRow>> batches = dispatcher(1_000, 100).batches(rows(100, 5_000, 100));

        assertThat(sizes(batches)).containsExactly(1, 1, 1);
    }

    @Test
    void orderIsPreserved() {
        List<OutboxRow> rows = rows(300, 40_000, 300, 300, 300, 300, 300, 300);

        assertThat(flatten(dispatcher(1_000, 4).batches(rows))).containsExactlyElementsOf(rows);
    }

    @Test
    void configuredMaxIsCappedAt500Kb() {
        // 17 rows of 30000 bytes need 510028 bytes, which is under 511999. An 18th would need 540029.
        int[] sizes = IntStream.range(0, 20).map(i -> 30_000).toArray();

        List<List<OutboxRow>> batches = dispatcher(Integer.MAX_VALUE, 1_000).batches(rows(sizes));

        assertThat(sizes(batches)).containsExactly(17, 3);
    }
}
