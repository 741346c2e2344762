package dev.ciobridge.customerio;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** A Track API answer: status, headers and raw body. */
public record TrackResponse(int status, HttpHeaders headers, byte[] body) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }
}
