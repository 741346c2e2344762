package dev.ciobridge.customerio;

/**
 * The Customer.io API surfaces that cio-bridge calls, each with its own host, authentication and rate limit per
 * workspace. Transactional sends live on the App host but have a limit of their own.
 */
public enum ApiSurface {
    TRACK("track", CustomerIoHosts.Api.TRACK),
    APP("app", CustomerIoHosts.Api.APP),
    TRANSACTIONAL("transactional", CustomerIoHosts.Api.APP),
    PIPELINES("pipelines", CustomerIoHosts.Api.PIPELINES);

    private final String code;
    private final CustomerIoHosts.Api host;

    ApiSurface(String code, CustomerIoHosts.Api host) {
        this.code = code;
        this.host = host;
    }

    /** Lower-case name used in properties ({@code customerio.<code>.requests-per-second}) and metrics. */
    public String code() {
        return code;
    }

    public CustomerIoHosts.Api host() {
        return host;
    }
}
