package dev.ciobridge.sandbox;

/**
 * The credentials of a simulated workspace, one set per API surface, as Customer.io issues them.
 *
 * @param siteId Track API site id (Basic auth user name)
 * @param trackApiKey Track API key (Basic auth password)
 * @param appApiKey App API bearer token
 * @param pipelinesKey Pipelines API key (Basic auth user name, empty password)
 * @param environmentId workspace id, as {@code GET /api/v1/accounts/region} returns it
 */
public record WorkspaceCredentials(String siteId, String trackApiKey, String appApiKey, String pipelinesKey,
        long environmentId) {

    @Override
    public String toString() {
        // Keys stay out of logs that print the record.
        return "WorkspaceCredentials[siteId=" + siteId + ", environmentId=" + environmentId + "]";
    }
}
