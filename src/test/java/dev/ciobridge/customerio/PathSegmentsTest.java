package dev.ciobridge.customerio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PathSegmentsTest {

    @Test
    void dotSegmentsAreRefused() {
        assertThatThrownBy(() -> PathSegments.encode("..")).isInstanceOf(dev.ciobridge.api.ApiException.class)
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> PathSegments.encode(".")).isInstanceOf(dev.ciobridge.api.ApiException.class);
        assertThat(PathSegments.encode("...")).isEqualTo("...");
        assertThat(PathSegments.encode(".a")).isEqualTo(".a");
    }

    @Test
    void slashIsEncoded() {
        assertThat(PathSegments.encode("org/42")).isEqualTo("org%2F42");
    }

    @Test
    void spaceIsPercentTwenty() {
        assertThat(PathSegments.encode("a b")).isEqualTo("a%20b");
    }

    @Test
    void atSignIsEncoded() {
        assertThat(PathSegments.encode("bob@example.com")).isEqualTo("bob%40example.com");
    }

    @Test
    void plusIsEncoded() {
        assertThat(PathSegments.encode("bob+tag")).isEqualTo("bob%2Btag");
    }

    @Test
    void percentIsEncoded() {
        assertThat(PathSegments.encode("100%")).isEqualTo("100%25");
    }

    @Test
    void encodedLookingInputIsEncodedAgain() {
        assertThat(PathSegments.encode("a%2Fb")).isEqualTo("a%252Fb");
    }

    @Test
    void accentUsesUtf8Bytes() {
        assertThat(PathSegments.encode("é")).isEqualTo("%C3%A9");
    }

    @Test
    void emojiUsesFourUtf8Bytes() {
        assertThat(PathSegments.encode("😀")).isEqualTo("%F0%9F%98%80");
    }

    @Test
    void unreservedCharactersAreKept() {
        String unreserved = "ABCXYZabcxyz0189-._~";

        assertThat(PathSegments.encode(unreserved)).isEqualTo(unreserved);
    }

    @Test
    void subDelimitersAreEncoded() {
        assertThat(PathSegments.encode("!$&'()*,;=:")).isEqualTo("%21%24%26%27%28%29%2A%2C%3B%3D%3A");
    }

    @Test
    void queryAndFragmentAreEncoded() {
        assertThat(PathSegments.encode("a?b#c")).isEqualTo("a%3Fb%23c");
    }

    @Test
    void emptySegmentStaysEmpty() {
        assertThat(PathSegments.encode("")).isEmpty();
    }

    @Test
    void hexDigitsAreUpperCase() {
        assertThat(PathSegments.encode("\n")).isEqualTo("%0A");
    }

    @Test
    void encodedSegmentDecodesBack() {
        String original = "Ünïcode org/42 a+b@c%d 😀";

        String decoded = URLDecoder.decode(PathSegments.encode(original), StandardCharsets.UTF_8);

        assertThat(decoded).isEqualTo(original);
    }

    @Test
    void encodedSegmentIsOneUriSegment() {
        URI uri = URI.create("https://track.example/api/v1/customers/" + PathSegments.encode("org/42 x") + "/events");

        assertThat(uri.getRawPath()).isEqualTo("/api/v1/customers/org%2F42%20x/events");
    }
}
