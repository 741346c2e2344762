package dev.ciobridge.customerio;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Track API credentials: HTTP Basic with the site id as user name and the Track API key as password. */
public record TrackCredentials(String siteId, String apiKey) {

    public String authorizationHeader() {
        String pair = siteId + ":" + apiKey;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "TrackCredentials[siteId=" + siteId + ", apiKey=***]";
    }
}
