package dev.ciobridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.ciobridge.testing.RunningService;

/**
 * /openapi.json against the running service: every documented operation is served by a route, and every HTTP route
 * (Java and YAML alike) is documented with each method it accepts.
 */
class OpenApiCoverageTest {

    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

    private static RunningService service;
    private static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start("http://127.0.0.1:9", Map.of());
        RunningService.Reply reply = service.request("GET", "/openapi.json", Map.of(), null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("content-type")).contains("application/json");
        document = reply.json();
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    /**
     * A route's path with its placeholders blanked, the methods it accepts, and whether it matches a prefix. A
     * placeholder of the route matches any one segment of a documented path, so a route for
     * {@code /things/{resource}} serves the documented {@code /things/contacts}.
     */
    private record Served(String routeId, String path, Set<String> methods, boolean prefix) {

        boolean serves(String documentedPath, String method) {
            String pattern = java.util.regex.Pattern.quote(path).replace("{}", "\\E[^/]+\\Q");
            boolean pathMatches = prefix
                    ? documentedPath.matches(pattern + "/.+")
                    : documentedPath.matches(pattern);
            return pathMatches && methods.contains(method);
        }
    }

    private static List<Served> routes() {
        List<Served> served = new ArrayList<>();
        for (Route route : service.main().getCamelContext().getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint endpoint) {
                String restrict = endpoint.getHttpMethodRestrict();
                Set<String> methods = new LinkedHashSet<>();
                if (restrict == null || restrict.isBlank()) {
                    methods.addAll(METHODS);
                } else {
                    for (String method : restrict.split(",")) {
                        methods.add(method.trim().toLowerCase(Locale.ROOT));
                    }
                }
                served.add(new Served(route.getRouteId(), blank(endpoint.getPath()), methods, endpoint.isMatchOnUriPrefix()));
            }
        }
        return served;
    }

    private static Set<String> documentedOperations() {
        Set<String> operations = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                if (path.getValue().has(method)) {
                    operations.add(method + " " + path.getKey());
                }
            }
        }
        return operations;
    }

    private static String blank(String path) {
        return path.replaceAll("\\{[^}/]+}", "{}");
    }

    @Test
    void everyDocumentedOperationHasARoute() {
        List<Served> routes = routes();
        List<String> undocumented = new ArrayList<>();
        for (String operation : documentedOperations()) {
            String method = operation.substring(0, operation.indexOf(' '));
            String path = blank(operation.substring(operation.indexOf(' ') + 1));
            if (routes.stream().noneMatch(route -> route.serves(path, method))) {
                undocumented.add(operation);
            }
        }
        assertThat(undocumented).as("documented operations without a route").isEmpty();
    }

    /**
     * A route that takes every method may leave some undocumented when it rejects them itself with 405 and an
     * {@code Allow} header, as the unified API's routes do. Each such method is called on every documented path of
     * the route to check that.
     */
    @Test
    void everyRouteAndMethodIsDocumented() throws Exception {
        Set<String> operations = documentedOperations();
        List<String> missing = new ArrayList<>();
        for (Served route : routes()) {
            for (String method : route.methods()) {
                boolean documented = operations.stream().anyMatch(operation -> {
                    String documentedMethod = operation.substring(0, operation.indexOf(' '));
                    String path = blank(operation.substring(operation.indexOf(' ') + 1));
                    return documentedMethod.equals(method) && route.serves(path, method);
                });
                if (!documented && !rejectsWithAllow(route, method, operations)) {
                    missing.add(route.routeId() + ": " + method + " " + route.path() + (route.prefix() ? "/..." : ""));
                }
            }
        }
        assertThat(routes()).as("HTTP routes found").hasSizeGreaterThan(5);
        assertThat(missing).as("routes missing from /openapi.json").isEmpty();
    }

    /**
     * Returns whether the route serves at least one documented path and responds to the method on each of them with
     * 405 and an {@code Allow} header that does not list the method.
     */
    private static boolean rejectsWithAllow(Served route, String method, Set<String> operations) throws Exception {
        Set<String> paths = new TreeSet<>();
        for (String operation : operations) {
            String path = operation.substring(operation.indexOf(' ') + 1);
            String documentedMethod = operation.substring(0, operation.indexOf(' '));
            if (route.serves(blank(path), documentedMethod)) {
                paths.add(path.replaceAll("\\{[^}/]+}", "x"));
            }
        }
        for (String path : paths) {
            RunningService.Reply reply = service.admin(method.toUpperCase(Locale.ROOT), path, "{}");
            String allow = reply.headers().entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase("Allow"))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
            if (reply.status() != 405 || allow == null || allow.contains(method.toUpperCase(Locale.ROOT))) {
                return false;
            }
        }
        return !paths.isEmpty();
    }

    /** Calls each documented operation over HTTP: the router must find a route (any answer but its 404 or 405). */
    @Test
    void everyDocumentedOperationAnswersOverHttp() throws Exception {
        List<String> unrouted = new ArrayList<>();
        for (String operation : documentedOperations()) {
            String method = operation.substring(0, operation.indexOf(' ')).toUpperCase(Locale.ROOT);
            String path = operation.substring(operation.indexOf(' ') + 1).replaceAll("\\{[^}/]+}", "x");
            String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
            RunningService.Reply reply = service.admin(method, path, body);
            boolean routerMiss = reply.status() == 405
                    || (reply.status() == 404 && reply.text().contains("No resource at"));
            if (routerMiss) {
                unrouted.add(operation + " -> " + reply.status() + " " + reply.text());
            }
        }
        assertThat(unrouted).isEmpty();
    }

    @Test
    void everyReferenceResolves() {
        List<String> broken = new ArrayList<>();
        collectBrokenReferences(document, broken);
        assertThat(broken).isEmpty();
        assertThat(document.get("openapi").asText()).startsWith("3.1");
    }

    /**
     * Finds object members whose value is null. A YAML flow mapping such as {@code {description: a, b}} parses
     * the text after the comma as a key with a null value, and the document never needs a null member.
     */
    @Test
    void noMemberIsNull() {
        List<String> nullMembers = new ArrayList<>();
        collectNullMembers(document, "", nullMembers);
        assertThat(nullMembers).as("members with a null value, such as unquoted descriptions with a comma").isEmpty();
    }

    private static void collectNullMembers(JsonNode node, String pointer, List<String> nullMembers) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String childPointer = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                if (field.getValue().isNull()) {
                    nullMembers.add(childPointer);
                }
                collectNullMembers(field.getValue(), childPointer, nullMembers);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectNullMembers(node.get(i), pointer + "/" + i, nullMembers);
            }
        }
    }

    private static void collectBrokenReferences(JsonNode node, List<String> broken) {
        if (node.isObject()) {
            JsonNode reference = node.get("$ref");
            if (reference != null && reference.isTextual()) {
                String pointer = reference.asText();
                if (!pointer.startsWith("#/") || document.at(pointer.substring(1)).isMissingNode()) {
                    broken.add(pointer);
                }
            }
            node.elements().forEachRemaining(child -> collectBrokenReferences(child, broken));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectBrokenReferences(child, broken));
        }
    }
}
