package dev.ciobridge.unified;

import java.io.IOException;
import java.net.http.HttpTimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.api.Json;
import dev.ciobridge.customerio.ApiSurface;
import dev.ciobridge.customerio.CustomerIoResponse;
import dev.ciobridge.customerio.WorkspaceApi;
import dev.ciobridge.customerio.WorkspaceResponse;

/**
 * Sends the unified API's requests to Customer.io through {@link WorkspaceApi}, which applies the workspace's rate
 * limit and credentials. A non-2xx response becomes an {@link ApiException} carrying Customer.io's status and body.
 */
final class CustomerIoCalls {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerIoCalls.class);

    private final WorkspaceApi api;

    CustomerIoCalls(WorkspaceApi api) {
        this.api = api;
    }

    JsonNode get(UnifiedRequest request, ApiSurface surface, String pathAndQuery) {
        return send(request, surface, "GET", pathAndQuery, null);
    }

    /**
     * Sends one request and returns its JSON body, or an empty object when the response has none.
     *
     * @param pathAndQuery path below the surface's base URL with every segment percent-encoded, plus any query
     * @param body JSON body, or null for none
     */
    JsonNode send(UnifiedRequest request, ApiSurface surface, String method, String pathAndQuery, JsonNode body) {
        WorkspaceResponse reply;
        try {
            reply = api.call(request.account, surface, method, pathAndQuery, body == null ? null : Json.write(body));
        } catch (HttpTimeoutException e) {
            LOG.warn("Customer.io {} API timed out on a {} for account {}", surface.code(), method, request.account.id());
            throw new ApiException(504, "Customer.io did not respond in time to " + method + " " + pathOnly(pathAndQuery)
                    + "; try again");
        } catch (IOException e) {
            LOG.warn("Customer.io {} API unreachable on a {} for account {}: {}", surface.code(), method,
                    request.account.id(), e.getClass().getSimpleName());
            throw new ApiException(502, "Customer.io could not be reached for " + method + " " + pathOnly(pathAndQuery)
                    + " (" + e.getClass().getSimpleName() + "); try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "The request was interrupted while the service stops; try again");
        }
        request.recordRateLimit(reply.rateLimit());
        CustomerIoResponse response = reply.response();
        if (!response.isSuccess()) {
            LOG.debug("Customer.io {} API returned {} on a {} for account {}", surface.code(), response.status(), method,
                    request.account.id());
            throw ApiException.remote(response, "Customer.io returned " + response.status() + " for " + method + " "
                    + pathOnly(pathAndQuery));
        }
        if (response.body() == null || response.body().length == 0) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode json = Json.MAPPER.readTree(response.body());
            return json == null ? Json.MAPPER.createObjectNode() : json;
        } catch (IOException e) {
            throw new ApiException(502, "Customer.io returned a body that is not JSON for " + method + " "
                    + pathOnly(pathAndQuery));
        }
    }

    /**
     * Drops the query before a path goes into an error message. Logs get neither, because a path or query may hold a
     * person's email address.
     */
    private static String pathOnly(String pathAndQuery) {
        int question = pathAndQuery.indexOf('?');
        return question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
    }
}
