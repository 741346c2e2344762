package dev.ciobridge.customerio;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** A response from any Customer.io API, whatever its status: callers decide what a status means for them. */
public record CustomerIoResponse(int status, HttpHeaders headers, byte[] body) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }
}
