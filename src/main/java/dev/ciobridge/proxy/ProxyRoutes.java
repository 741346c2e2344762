package dev.ciobridge.proxy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

import dev.ciobridge.accounts.AccountStore;
import dev.ciobridge.accounts.IntegratedAccount;
import dev.ciobridge.api.AdminAuth;
import dev.ciobridge.api.ApiErrorHandling;
import dev.ciobridge.api.ApiException;
import dev.ciobridge.app.ServiceSecrets;
import dev.ciobridge.customerio.ApiSurface;
import dev.ciobridge.customerio.CustomerIoResponse;
import dev.ciobridge.customerio.WorkspaceApi;
import dev.ciobridge.customerio.WorkspaceResponse;

/**
 * The proxy API: {@code /proxy/{track|app|pipelines}/{path}} forwards any request 1-to-1 to that Customer.io API of
 * the account named by {@code integrated_account_id}, with the account's credentials in place of the caller's
 * {@code Authorization}, the path confined to that API's host, and the workspace's rate limit applied.
 */
public class ProxyRoutes extends RouteBuilder {

    public static final String ROUTE_ID = "customerio-proxy";
    static final String PREFIX = "/proxy/";

    /** Request headers passed on to Customer.io; every other header of the caller stays here. */
    private static final String[] FORWARDED_REQUEST_HEADERS = {"Content-Type", "Accept", "Accept-Language", "X-Strict-Mode"};
    /** Response headers passed back to the caller besides the status and body. */
    private static final String[] FORWARDED_RESPONSE_HEADERS = {"Content-Type", "Retry-After", "X-Cio-Sandbox"};

    @Override
    public void configure() {
        AccountStore accounts = getContext().getRegistry().lookupByNameAndType("accountStore", AccountStore.class);
        WorkspaceApi api = getContext().getRegistry().lookupByNameAndType("workspaceApi", WorkspaceApi.class);
        AdminAuth auth = new AdminAuth(getContext().getRegistry().lookupByNameAndType("serviceSecrets", ServiceSecrets.class));

        from("platform-http:/proxy?matchOnUriPrefix=true&httpMethodRestrict=GET,POST,PUT,PATCH,DELETE")
                .routeId(ROUTE_ID)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(auth)
                .process(exchange -> forward(exchange, accounts, api));
    }

    private static void forward(Exchange exchange, AccountStore accounts, WorkspaceApi api) throws Exception {
        Message in = exchange.getIn();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class).toUpperCase(Locale.ROOT);
        ProxyTarget target = ProxyTarget.parse(rawPath(exchange), in.getHeader(Exchange.HTTP_RAW_QUERY, String.class));
        IntegratedAccount account = accounts.find(target.accountId()).orElseThrow(() ->
                ApiException.notFound("No integrated account with id '" + target.accountId() + "' (query parameter integrated_account_id)"));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : FORWARDED_REQUEST_HEADERS) {
            String value = in.getHeader(name, String.class);
            if (value != null) {
                headers.put(name, value);
            }
        }
        byte[] body = in.getBody(byte[].class);
        if (body != null && body.length == 0 && !methodHasBody(method)) {
            body = null;
        }
        ApiSurface surface = target.surface();
        WorkspaceResponse result;
        try {
            result = api.call(account, surface, method, target.pathAndQuery(), body, headers);
        } catch (java.io.IOException e) {
            throw new ApiException(502, "Customer.io's " + target.api() + " API could not be reached: " + e.getMessage())
                    .withField("remote_error", true);
        }
        CustomerIoResponse response = result.response();
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        for (String name : FORWARDED_RESPONSE_HEADERS) {
            String value = response.header(name);
            if (value != null) {
                out.setHeader(name, value);
            }
        }
        result.rateLimit().headers().forEach(out::setHeader);
        out.setBody(response.body() == null ? new byte[0] : response.body());
    }

    private static boolean methodHasBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /** Returns the request path as the caller sent it, still percent-encoded. */
    private static String rawPath(Exchange exchange) {
        String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        if (uri == null) {
            throw new IllegalStateException("platform-http gave no request URI");
        }
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
