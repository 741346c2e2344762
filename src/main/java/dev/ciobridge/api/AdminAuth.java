package dev.ciobridge.api;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import dev.ciobridge.app.ServiceSecrets;

/** Admits a request only with {@code Authorization: Bearer <admin token>}, and drops the header so it travels no further. */
public final class AdminAuth implements Processor {

    private final ServiceSecrets secrets;

    public AdminAuth(ServiceSecrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public void process(Exchange exchange) {
        String header = exchange.getIn().getHeader("Authorization", String.class);
        exchange.getIn().removeHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("Missing admin token: send 'Authorization: Bearer <token>'");
        }
        if (!secrets.isAdminToken(header.substring(7).trim())) {
            throw ApiException.unauthorized("Invalid admin token");
        }
    }
}
