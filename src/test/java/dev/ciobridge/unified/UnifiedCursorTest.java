package dev.ciobridge.unified;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.ciobridge.api.ApiException;

/** The signed list cursor on its own: what it accepts and each reason it rejects one. */
class UnifiedCursorTest {

    private static final byte[] MASTER_KEY = new byte[32];
    private static final long NOW = 1_767_225_600_000L;

    private final UnifiedCursor cursors = new UnifiedCursor(MASTER_KEY, Duration.ofHours(24));
    private final String filter = UnifiedCursor.filterDigest("segment_id=7\n");
    private final String cursor = cursors.encode(new UnifiedCursor.Position("acc_1", "contacts", filter, "p100", NOW));

    @Test
    void cursorRoundTrips() {
        UnifiedCursor.Position position = cursors.decode(cursor, "acc_1", "contacts", filter, NOW + 1000);

        assertThat(position.start()).isEqualTo("p100");
        assertThat(position.issuedAt()).isEqualTo(NOW);
    }

    @Test
    void cursorHidesFilterValues() {
        String email = UnifiedCursor.filterDigest("email=ada@example.com\n");
        String withEmail = cursors.encode(new UnifiedCursor.Position("acc_1", "contacts", email, "", NOW));

        String payload = new String(Base64.getUrlDecoder().decode(withEmail.substring(0, withEmail.indexOf('.'))),
                StandardCharsets.UTF_8);
        assertThat(payload).doesNotContain("ada");
    }

    @Test
    void cursorRejectsEditedPayload() {
        String payload = new String(Base64.getUrlDecoder().decode(cursor.substring(0, cursor.indexOf('.'))), StandardCharsets.UTF_8);
        String edited = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.replace("p100", "p900").getBytes(StandardCharsets.UTF_8)) + cursor.substring(cursor.indexOf('.'));

        assertRejected(edited, "acc_1", "contacts", filter, NOW, "signature");
    }

    @Test
    void cursorRejectsOtherKey() {
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        String foreign = new UnifiedCursor(otherKey, Duration.ofHours(24))
                .encode(new UnifiedCursor.Position("acc_1", "contacts", filter, "p100", NOW));

        assertRejected(foreign, "acc_1", "contacts", filter, NOW, "signature");
    }

    @Test
    void cursorRejectsOtherScope() {
        assertRejected(cursor, "acc_2", "contacts", filter, NOW, "another integrated account");
        assertRejected(cursor, "acc_1", "messages", filter, NOW, "list of contacts");
        assertRejected(cursor, "acc_1", "contacts", UnifiedCursor.filterDigest("segment_id=8\n"), NOW, "other filters");
        assertRejected(cursor, "acc_1", "contacts", "", NOW, "other filters");
    }

    @Test
    void cursorRejectsExpiredAndMalformed() {
        assertRejected(cursor, "acc_1", "contacts", filter, NOW + Duration.ofHours(25).toMillis(), "expired");
        assertRejected("no-dot-here", "acc_1", "contacts", filter, NOW, "not a cursor");
        assertRejected("!!!.???", "acc_1", "contacts", filter, NOW, "not a cursor");
        assertRejected("a".repeat(5000), "acc_1", "contacts", filter, NOW, "longer");
    }

    private void assertRejected(String value, String account, String resource, String expectedFilter, long now, String reason) {
        assertThatThrownBy(() -> cursors.decode(value, account, resource, expectedFilter, now))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("next_cursor")
                .hasMessageContaining(reason)
                .matches(error -> ((ApiException) error).status() == 400);
    }
}
