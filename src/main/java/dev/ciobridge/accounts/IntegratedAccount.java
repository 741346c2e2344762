package dev.ciobridge.accounts;

import java.util.Map;
import java.util.Optional;

import dev.ciobridge.customerio.Region;
import dev.ciobridge.customerio.TrackCredentials;

/** A connected Customer.io workspace with its decrypted credentials. Never serialised as is: see {@link AccountView}. */
public record IntegratedAccount(
        String id,
        String name,
        Region region,
        String siteId,
        Long environmentId,
        String trackApiKey,
        String appApiKey,
        String pipelinesApiKey,
        Map<String, String> webhookSecrets,
        Map<String, Object> masked,
        long createdAt) {

    public TrackCredentials trackCredentials() {
        return new TrackCredentials(siteId, trackApiKey);
    }

    public Optional<String> webhookSecret(String source) {
        return Optional.ofNullable(webhookSecrets.get(source)).filter(secret -> !secret.isEmpty());
    }

    @Override
    public String toString() {
        return "IntegratedAccount[id=" + id + ", name=" + name + ", region=" + region.code() + ", siteId=" + siteId + "]";
    }
}
