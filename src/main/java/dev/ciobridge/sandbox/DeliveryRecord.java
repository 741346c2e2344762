package dev.ciobridge.sandbox;

import java.util.Map;

/**
 * A delivery recorded by a transactional send.
 *
 * @param deliveryId the id returned to the sender
 * @param type {@code email}, {@code twilio} (SMS) or {@code push}
 * @param transactionalMessageId template id
 * @param customerId person id at send time, or null
 * @param customerEmail person email at send time, or null
 * @param cioId the person's cio_id
 * @param recipient address, phone or device the message goes to
 * @param subject subject line of an email, or null
 * @param created Unix seconds of the send
 * @param metrics metric name to the Unix seconds it was reached
 */
public record DeliveryRecord(String deliveryId, String type, int transactionalMessageId, String customerId,
        String customerEmail, String cioId, String recipient, String subject, long created, Map<String, Long> metrics) {
}
