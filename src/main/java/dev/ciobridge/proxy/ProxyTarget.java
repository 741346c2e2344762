package dev.ciobridge.proxy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.ciobridge.api.ApiException;
import dev.ciobridge.customerio.ApiSurface;

/**
 * The destination of a proxy request: the Customer.io API, the path and query on its host, and the account. The path is
 * checked so that it can only name a resource on that host: no absolute URL, no dot segments (plain or
 * percent-encoded), no empty segments, no backslashes, and only valid percent-encoding.
 *
 * @param api {@code track}, {@code app} or {@code pipelines}
 * @param pathAndQuery path on the API's host, as the caller encoded it, with the caller's query minus
 *        {@code integrated_account_id}
 */
record ProxyTarget(String api, ApiSurface surface, String pathAndQuery, String accountId) {

    static final String ACCOUNT_PARAMETER = "integrated_account_id";

    /** RFC 3986 path characters: unreserved, sub-delims, ':' and '@', plus '%' for percent-encoding. */
    private static final Pattern PATH_CHARACTERS = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=:@%]*");
    private static final Pattern QUERY_CHARACTERS = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=:@%/?]*");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]*:.*");

    static ProxyTarget parse(String rawPath, String rawQuery) {
        if (!rawPath.startsWith(ProxyRoutes.PREFIX)) {
            throw ApiException.notFound("The proxy API is at /proxy/{track|app|pipelines}/{path}");
        }
        String rest = rawPath.substring(ProxyRoutes.PREFIX.length());
        int slash = rest.indexOf('/');
        String api = (slash < 0 ? rest : rest.substring(0, slash)).toLowerCase(Locale.ROOT);
        String path = slash < 0 ? "" : rest.substring(slash);
        ApiSurface surface = switch (api) {
            case "track" -> ApiSurface.TRACK;
            case "app" -> path.startsWith("/v1/send/") ? ApiSurface.TRANSACTIONAL : ApiSurface.APP;
            case "pipelines" -> ApiSurface.PIPELINES;
            default -> throw ApiException.notFound("Unknown Customer.io API '" + api
                    + "' in the proxy path; use /proxy/track/..., /proxy/app/... or /proxy/pipelines/...");
        };
        checkPath(path);
        String accountId = null;
        StringBuilder query = new StringBuilder();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            if (!QUERY_CHARACTERS.matcher(rawQuery).matches()) {
                throw ApiException.badRequest("The query string contains characters that must be percent-encoded");
            }
            for (String parameter : rawQuery.split("&")) {
                int equals = parameter.indexOf('=');
                String name = decode(equals < 0 ? parameter : parameter.substring(0, equals), "query parameter name");
                if (name.equals(ACCOUNT_PARAMETER)) {
                    if (accountId != null) {
                        throw ApiException.badRequest("Query parameter " + ACCOUNT_PARAMETER + " is given twice");
                    }
                    accountId = equals < 0 ? "" : decode(parameter.substring(equals + 1), ACCOUNT_PARAMETER);
                } else if (!parameter.isEmpty()) {
                    query.append(query.length() == 0 ? '?' : '&').append(parameter);
                }
            }
        }
        if (accountId == null || accountId.isBlank()) {
            throw ApiException.badRequest("Query parameter " + ACCOUNT_PARAMETER + " is required: the id of the "
                    + "integrated account whose Customer.io workspace to call");
        }
        return new ProxyTarget(api, surface, path + query, accountId);
    }

    private static void checkPath(String path) {
        if (path.isEmpty() || path.equals("/")) {
            throw ApiException.badRequest("The proxy path names no Customer.io endpoint; add one, such as /proxy/app/v1/workspaces");
        }
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isEmpty() && i < segments.length - 1) {
                throw ApiException.badRequest("The proxy path contains an empty segment ('//')");
            }
            if (!PATH_CHARACTERS.matcher(segment).matches()) {
                throw ApiException.badRequest("The proxy path segment '" + segment + "' contains characters that must be percent-encoded");
            }
            if (i == 0 && SCHEME.matcher(segment).matches()) {
                throw ApiException.badRequest("The proxy path must be a path on the Customer.io host, not an absolute URL");
            }
            String decoded = decode(segment, "path segment");
            for (String part : decoded.split("[/\\\\]", -1)) {
                if (part.equals(".") || part.equals("..")) {
                    throw ApiException.badRequest("The proxy path may not hold '.' or '..' segments, encoded or not");
                }
            }
            if (decoded.indexOf('\\') >= 0 || decoded.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw ApiException.badRequest("The proxy path segment '" + segment + "' decodes to a backslash or a control character");
            }
        }
    }

    private static String decode(String raw, String what) {
        for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0) {
                throw ApiException.badRequest("Invalid percent-encoding in the " + what + " '" + raw + "'");
            }
        }
        try {
            // '+' stays '+': in a path it is a literal plus sign.
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Invalid percent-encoding in the " + what + " '" + raw + "'");
        }
    }
}
