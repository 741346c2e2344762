package dev.ciobridge.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.ciobridge.customerio.TrackResponse;

/** Tests how {@link TrackSender#retryAfterMillis} reads the {@code Retry-After} header of a 429. */
class TrackSenderRetryAfterTest {

    private static TrackResponse tooManyRequests(String headerName, String value) {
        HttpHeaders headers = HttpHeaders.of(Map.of(headerName, List.of(value)), (name, headerValue) -> true);
        return new TrackResponse(429, headers, new byte[0]);
    }

    private static Optional<Long> retryAfter(String value) {
        return TrackSender.retryAfterMillis(tooManyRequests("Retry-After", value));
    }

    private static String httpDate(Instant instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    @Test
    void secondsBecomeMillis() {
        assertThat(retryAfter("120")).contains(120_000L);
    }

    @Test
    void zeroSecondsIsZero() {
        assertThat(retryAfter("0")).contains(0L);
    }

    @Test
    void secondsAreTrimmed() {
        assertThat(retryAfter(" 7 ")).contains(7_000L);
    }

    @Test
    void negativeSecondsBecomeZero() {
        assertThat(retryAfter("-5")).contains(0L);
    }

    @Test
    void headerNameIsCaseInsensitive() {
        assertThat(TrackSender.retryAfterMillis(tooManyRequests("retry-after", "3"))).contains(3_000L);
    }

    @Test
    void futureHttpDateGivesRemainingMillis() {
        // The date has whole seconds, so up to one second is lost, plus the time the test takes.
        String date = httpDate(Instant.now().plusSeconds(90));

        assertThat(retryAfter(date)).hasValueSatisfying(millis -> assertThat(millis).isBetween(85_000L, 90_000L));
    }

    @Test
    void pastHttpDateIsZero() {
        assertThat(retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(0L);
    }

    @Test
    void farHttpDateIsCapped() {
        assertThat(retryAfter("Wed, 21 Oct 2099 07:28:00 GMT")).hasValue(TrackSender.MAX_RETRY_AFTER_MILLIS);
    }

    @Test
    void hugeSecondsAreCapped() {
        assertThat(retryAfter("1000000000000")).hasValue(TrackSender.MAX_RETRY_AFTER_MILLIS);
    }

    @Test
    void garbageIsEmpty() {
        assertThat(retryAfter("soon")).isEmpty();
    }

    @Test
    void fractionalSecondsAreEmpty() {
        assertThat(retryAfter("1.5")).isEmpty();
    }

    @Test
    void emptyValueIsEmpty() {
        assertThat(retryAfter("")).isEmpty();
    }

    @Test
    void isoDateIsEmpty() {
        assertThat(retryAfter("2099-10-21T07:28:00Z")).isEmpty();
    }

    @Test
    void numberBeyondLongIsEmpty() {
        assertThat(retryAfter("99999999999999999999")).isEmpty();
    }

    @Test
    void secondsOverflowingMillisAreEmpty() {
        // 10^17 seconds fit in a long, but not once converted to milliseconds.
        assertThat(retryAfter("100000000000000000")).isEmpty();
    }

    @Test
    void missingHeaderIsEmpty() {
        HttpHeaders none = HttpHeaders.of(Map.of(), (name, value) -> true);

        assertThat(TrackSender.retryAfterMillis(new TrackResponse(429, none, new byte[0]))).isEmpty();
    }
}
