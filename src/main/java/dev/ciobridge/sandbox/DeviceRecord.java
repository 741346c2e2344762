package dev.ciobridge.sandbox;

import java.util.Map;

/**
 * A device token registered on a person.
 *
 * @param token the device token (Track v1 calls it {@code id}, v2 {@code token})
 * @param platform {@code ios} or {@code android}
 * @param lastUsed Unix seconds, or null
 * @param attributes device attributes, all strings as Customer.io keeps them
 */
public record DeviceRecord(String token, String platform, Long lastUsed, Map<String, String> attributes) {
}
