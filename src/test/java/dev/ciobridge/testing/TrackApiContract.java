package dev.ciobridge.testing;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.i18n.DefaultMessageSource;
import com.networknt.schema.i18n.MessageSource;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks HTTP requests against Customer.io's OpenAPI description of the Track API ({@code track-api.json}).
 *
 * <p>Tests run the service against a local WireMock stub of Customer.io and pass every recorded request to
 * {@link #assertConforms(LoggedRequest)} or {@link #violations}. A request is checked for a matching operation
 * (method and path template), the operation's {@code security} requirement, the {@code Content-Type} against the
 * request body's media types, and the body against the media type's JSON schema. Request bodies are validated with
 * JSON Schema draft 2020-12, the dialect of OpenAPI 3.1, and {@code $ref}s resolve against the whole document.
 *
 * <p>Not checked: path, query and header parameters, {@code format} (an annotation in draft 2020-12, and the
 * Track API uses formats such as {@code "unix timestamp"} that JSON Schema does not define), and responses. The
 * {@code discriminator} keyword is ignored because the Track API names no {@code mapping}, and the implicit
 * mapping by schema name does not fit its schemas (action {@code "event"} is schema {@code person_event}).
 *
 * <p>The document is Customer.io's and is not part of this repository. It is read at run time from the folder
 * named by the system property {@value #DIR_PROPERTY}, which Maven Surefire sets from the Maven property of the
 * same name.
 */
public final class TrackApiContract {

    /** System property naming the folder that contains {@value #FILE_NAME}. */
    public static final String DIR_PROPERTY = "cio.openapi.dir";

    /** Environment variable naming the folder when the system property is unset. */
    public static final String DIR_VARIABLE = "CIO_OPENAPI_DIR";

    /** File name of the Track API description inside that folder. */
    public static final String FILE_NAME = "track-api.json";

    private static final String FOLDER_NOT_SET = "Customer.io OpenAPI folder not set: set " + DIR_VARIABLE
            + " (or -D" + DIR_PROPERTY + ") to the folder holding " + FILE_NAME + " to validate requests against it";

    private static final List<String> HTTP_METHODS =
            List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** Percent-encoded path segment characters (RFC 3986 {@code pchar}). */
    private static final Pattern PATH_SEGMENT =
            Pattern.compile("(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+");

    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("\\{([^}/]+)}");

    /** Parses the OpenAPI document and request bodies, rejecting duplicate keys and trailing content. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Contracts loaded through {@link #load()}, by absolute file path, so test classes share one parsed copy. */
    private static final Map<Path, TrackApiContract> LOADED = new ConcurrentHashMap<>();

    private final Path file;
    private final JsonNode document;
    private final List<Operation> operations;

    private TrackApiContract(Path file, JsonNode document, List<Operation> operations) {
        this.file = file;
        this.document = document;
        this.operations = operations;
    }

    /**
     * Loads {@value #FILE_NAME} from the folder named by the system property {@value #DIR_PROPERTY}.
     *
     * @return the contract, or empty when the property is unset or blank or the folder has no such file
     * @throws UncheckedIOException if the file exists but cannot be read
     * @throws IllegalArgumentException if the file is not an OpenAPI 3.1 document
     */
    public static Optional<TrackApiContract> load() {
        return locate(configuredFolder())
                .filter(Files::isRegularFile)
                .map(file -> LOADED.computeIfAbsent(file, TrackApiContract::load));
    }

    /**
     * Returns the contract from {@link #load()}, or skips the calling JUnit 5 test with a message that explains how
     * to pass the folder when the property is unset or the file is missing.
     */
    public static TrackApiContract require() {
        Optional<Path> file = locate(configuredFolder());
        Assumptions.assumeTrue(file.isPresent(), FOLDER_NOT_SET);
        // A folder that is set but wrong is a broken setup, not an absent one: fail instead of skipping silently.
        org.junit.jupiter.api.Assertions.assertTrue(Files.isRegularFile(file.get()), () -> "Customer.io OpenAPI file "
                + file.get() + " not found: " + DIR_PROPERTY + " or " + DIR_VARIABLE + " must name the folder holding " + FILE_NAME);
        return load().orElseThrow();
    }

    /** Returns the folder from the system property, or else from the environment variable {@value #DIR_VARIABLE}. */
    static String configuredFolder() {
        String property = System.getProperty(DIR_PROPERTY);
        return property != null && !property.isBlank() ? property : System.getenv(DIR_VARIABLE);
    }

    /** Returns the path of {@value #FILE_NAME} inside {@code folder}, or empty when {@code folder} is null or blank. */
    static Optional<Path> locate(String folder) {
        if (folder == null || folder.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(folder.strip()).resolve(FILE_NAME).toAbsolutePath().normalize());
    }

    /**
     * Loads an OpenAPI 3.1 document and prepares the JSON schema of every request body.
     *
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not an OpenAPI 3.1 document or a request body schema is
     *     invalid
     */
    public static TrackApiContract load(Path file) {
        String text;
        JsonNode document;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
            document = JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        String version = document.path("openapi").asString("");
        if (!version.startsWith("3.1.")) {
            // OpenAPI 3.0 schemas are not JSON Schema 2020-12 (nullable, exclusiveMinimum as boolean, ...).
            throw new IllegalArgumentException(
                    file + " must be an OpenAPI 3.1 document, but its \"openapi\" field is '" + version + "'");
        }
        if (!document.path("paths").isObject()) {
            throw new IllegalArgumentException(file + " is missing the \"paths\" object");
        }
        String documentIri = file.toAbsolutePath().normalize().toUri().toString();
        // Draft 2020-12 collects unknown keywords as annotations. This dialect does the same, but without the
        // validator's warning for each OpenAPI keyword (example, discriminator) and extension (x-...).
        Dialect draft202012 = Dialect.builder(Dialects.getDraft202012())
                .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword))
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(draft202012,
                builder -> builder
                        .schemas(Map.of(documentIri, text))
                        .schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .messageSource(validatorMessages())
                                .build()));
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            Located pathItem = resolve(document, new Located(path.getValue(), pointer("paths", path.getKey())));
            for (String method : HTTP_METHODS) {
                if (pathItem.node().has(method)) {
                    Located operation = pathItem.child(method);
                    operations.add(Operation.of(document, registry, documentIri, path.getKey(), method, operation));
                }
            }
        }
        return new TrackApiContract(file, document, List.copyOf(operations));
    }

    /**
     * Returns how a request breaks the Track API description, as human-readable sentences.
     *
     * <p>Schema errors inside {@code anyOf} and {@code oneOf} are reduced to those of the closest alternatives
     * (fewest failed {@code enum}/{@code const}, then fewest errors), because a batch item has 18 alternatives and
     * listing the errors of every one would hide the error that matters. The list is empty exactly when the
     * request conforms.
     *
     * @param method HTTP method, in any case
     * @param rawPath request path as sent, percent-encoded, with any query string ignored
     * @param headers request headers, with names in any case; a repeated header is one comma-separated value
     * @param body request body bytes, null or empty when the request has no body
     * @return the violations, or an empty list when the request conforms
     */
    public List<String> violations(String method, String rawPath, Map<String, String> headers, byte[] body) {
        String path = stripQuery(rawPath);
        String upperMethod = method.toUpperCase(Locale.ROOT);
        Map<String, String> headersByName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headersByName.putAll(headers);
        }
        byte[] content = body == null ? new byte[0] : body;

        List<Operation> pathMatches = operations.stream()
                .filter(operation -> operation.pattern().matcher(path).matches())
                .sorted(Comparator.comparingInt(Operation::variableCount))
                .collect(Collectors.toList());
        Optional<Operation> match = pathMatches.stream()
                .filter(operation -> operation.method().equalsIgnoreCase(method))
                .findFirst();
        if (match.isEmpty()) {
            if (pathMatches.isEmpty()) {
                return List.of("no operation for " + upperMethod + " " + path + ": the path matches no path template");
            }
            String allowed = pathMatches.stream()
                    .map(operation -> operation.method().toUpperCase(Locale.ROOT) + " " + operation.template())
                    .collect(Collectors.joining(", "));
            return List.of("no operation for " + upperMethod + " " + path + ": the matching templates only define "
                    + allowed);
        }
        Operation operation = match.get();
        List<String> violations = new ArrayList<>();
        violations.addAll(operation.pathSegmentViolations(path));
        violations.addAll(securityViolations(operation, headersByName));
        violations.addAll(operation.bodyViolations(headersByName.get("Content-Type"), content));
        return violations;
    }

    /**
     * Fails with an {@link AssertionError} that lists every violation of {@code request}, and the request itself
     * with the {@code Authorization} credentials hidden, unless the request conforms.
     */
    public void assertConforms(LoggedRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (request.getHeaders() != null) {
            for (HttpHeader header : request.getHeaders().all()) {
                headers.put(header.key(), String.join(", ", header.values()));
            }
        }
        String method = request.getMethod().getName();
        List<String> violations = violations(method, request.getUrl(), headers, request.getBody());
        if (violations.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder()
                .append("Request does not conform to ").append(file).append(":\n");
        violations.forEach(violation -> message.append("  - ").append(violation).append('\n'));
        message.append("Request: ").append(method).append(' ').append(request.getUrl()).append('\n');
        headers.forEach((name, value) -> message.append("  ").append(name).append(": ")
                .append(name.equalsIgnoreCase("Authorization") ? hideCredentials(value) : value).append('\n'));
        byte[] body = request.getBody();
        if (body != null && body.length > 0) {
            message.append('\n').append(new String(body, StandardCharsets.UTF_8)).append('\n');
        }
        Assertions.fail(message.toString());
    }

    @Override
    public String toString() {
        return "TrackApiContract[" + file + ", " + operations.size() + " operations]";
    }

    /**
     * Checks the operation's {@code security} (or the document's, when the operation has none). The request must
     * meet one requirement object of the list, and all schemes named in that object.
     */
    private List<String> securityViolations(Operation operation, Map<String, String> headers) {
        JsonNode requirements = operation.security().isMissingNode() ? document.path("security") : operation.security();
        if (!requirements.isArray() || requirements.isEmpty()) {
            return List.of();
        }
        List<List<String>> failedRequirements = new ArrayList<>();
        for (JsonNode requirement : requirements) {
            List<String> failures = new ArrayList<>();
            for (String schemeName : requirement.propertyNames()) {
                failures.addAll(securitySchemeViolations(schemeName, headers));
            }
            if (failures.isEmpty()) {
                return List.of();
            }
            failedRequirements.add(failures);
        }
        if (failedRequirements.size() == 1) {
            return failedRequirements.get(0);
        }
        return List.of("the request meets none of the operation's security requirements: "
                + failedRequirements.stream().map(failures -> String.join(" and ", failures))
                        .collect(Collectors.joining(", or ")));
    }

    private List<String> securitySchemeViolations(String schemeName, Map<String, String> headers) {
        Located scheme = resolve(document, new Located(
                document.path("components").path("securitySchemes").path(schemeName),
                pointer("components", "securitySchemes", schemeName)));
        if (scheme.node().isMissingNode()) {
            return List.of("security scheme '" + schemeName + "' is not defined in components/securitySchemes");
        }
        String type = scheme.node().path("type").asString("");
        String httpScheme = scheme.node().path("scheme").asString("").toLowerCase(Locale.ROOT);
        String authorization = headers.get("Authorization");
        if (type.equals("http") && httpScheme.equals("basic")) {
            return basicAuthorizationViolations(schemeName, authorization);
        }
        if (type.equals("http") && httpScheme.equals("bearer")) {
            String token = credentials(authorization, "Bearer");
            return token == null || token.isEmpty()
                    ? List.of("security scheme '" + schemeName + "' needs an 'Authorization: Bearer <token>' header")
                    : List.of();
        }
        if (type.equals("apiKey") && scheme.node().path("in").asString("").equals("header")) {
            String headerName = scheme.node().path("name").asString("");
            String value = headers.get(headerName);
            return value == null || value.isBlank()
                    ? List.of("security scheme '" + schemeName + "' needs a '" + headerName + "' header")
                    : List.of();
        }
        return List.of("security scheme '" + schemeName + "' (type '" + type + "') is not supported by "
                + TrackApiContract.class.getSimpleName());
    }

    /** Checks an RFC 7617 header: {@code Basic base64(user:password)} with a non-empty user. */
    private static List<String> basicAuthorizationViolations(String schemeName, String authorization) {
        String prefix = "security scheme '" + schemeName + "' (HTTP Basic): ";
        if (authorization == null) {
            return List.of(prefix + "no Authorization header");
        }
        String encoded = credentials(authorization, "Basic");
        if (encoded == null) {
            return List.of(prefix + "the Authorization header uses scheme '" + authorization.strip().split("\\s+")[0]
                    + "' instead of 'Basic'");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return List.of(prefix + "the Basic credentials are not valid Base64: " + e.getMessage());
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return List.of(prefix + "the Basic credentials contain no ':', so they are not a 'user:password' pair");
        }
        if (colon == 0) {
            return List.of(prefix + "the Basic credentials have an empty user name");
        }
        return List.of();
    }

    /**
     * Returns the credentials after an authentication scheme name (compared ignoring case, RFC 9110 section 11.1),
     * or null when the header is absent or uses another scheme.
     */
    private static String credentials(String authorization, String scheme) {
        if (authorization == null) {
            return null;
        }
        String[] parts = authorization.strip().split("\\s+", 2);
        if (!parts[0].equalsIgnoreCase(scheme)) {
            return null;
        }
        return parts.length == 2 ? parts[1].strip() : "";
    }

    private static String hideCredentials(String authorization) {
        return authorization.strip().split("\\s+", 2)[0] + " <hidden>";
    }

    private static String stripQuery(String rawPath) {
        int end = rawPath.length();
        for (char separator : new char[] {'?', '#'}) {
            int index = rawPath.indexOf(separator);
            if (index >= 0 && index < end) {
                end = index;
            }
        }
        return rawPath.substring(0, end);
    }

    /** A JSON node with its JSON pointer in the OpenAPI document. */
    private record Located(JsonNode node, String pointer) {
        Located child(String name) {
            return new Located(node.path(name), pointer + "/" + escape(name));
        }
    }

    /** Follows local {@code $ref}s ({@code #/...}) from an OpenAPI object that may be a Reference Object. */
    private static Located resolve(JsonNode document, Located located) {
        Located current = located;
        for (int hops = 0; current.node().has("$ref"); hops++) {
            String ref = current.node().path("$ref").asString("");
            if (!ref.startsWith("#/") || hops == 20) {
                throw new IllegalArgumentException("Cannot follow $ref '" + ref + "' at " + current.pointer()
                        + ": only local references without cycles are supported");
            }
            String target = ref.substring(1);
            current = new Located(document.at(target), target);
        }
        return current;
    }

    private static String pointer(String... names) {
        return Arrays.stream(names).map(TrackApiContract::escape).map(name -> "/" + name).collect(Collectors.joining());
    }

    /** Escapes a name for a JSON pointer (RFC 6901). */
    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** One request body media type of an operation, with its compiled schema when it is JSON and has one. */
    private record MediaType(String range, Schema schema) {}

    private static boolean isJson(String mediaType) {
        String essence = essence(mediaType);
        return essence.equals("application/json") || essence.endsWith("+json");
    }

    /** Returns the media type without parameters, in lower case. */
    private static String essence(String mediaType) {
        int semicolon = mediaType.indexOf(';');
        return (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static boolean rangeIncludes(String range, String mediaType) {
        String expected = essence(range);
        String actual = essence(mediaType);
        if (expected.equals("*/*") || expected.equals(actual)) {
            return true;
        }
        return expected.endsWith("/*") && actual.startsWith(expected.substring(0, expected.length() - 1));
    }

    /**
     * One operation of the document.
     *
     * @param security the operation's {@code security} array, or a missing node when the document's applies
     * @param requestBody whether the operation has a {@code requestBody}
     */
    private record Operation(
            String method,
            String template,
            Pattern pattern,
            List<String> variables,
            JsonNode security,
            boolean requestBody,
            boolean bodyRequired,
            List<MediaType> mediaTypes) {

        static Operation of(JsonNode document, SchemaRegistry registry, String documentIri, String template,
                String method, Located operation) {
            List<String> variables = new ArrayList<>();
            StringBuilder regex = new StringBuilder();
            Matcher variable = TEMPLATE_VARIABLE.matcher(template);
            int literalStart = 0;
            while (variable.find()) {
                regex.append(Pattern.quote(template.substring(literalStart, variable.start()))).append("([^/]+)");
                variables.add(variable.group(1));
                literalStart = variable.end();
            }
            regex.append(Pattern.quote(template.substring(literalStart)));

            Located body = resolve(document, operation.child("requestBody"));
            List<MediaType> mediaTypes = new ArrayList<>();
            for (Map.Entry<String, JsonNode> content : body.node().path("content").properties()) {
                Schema schema = null;
                if (isJson(content.getKey()) && content.getValue().has("schema")) {
                    String schemaPointer = body.pointer() + pointer("content", content.getKey(), "schema");
                    try {
                        schema = registry.getSchema(SchemaLocation.of(documentIri + "#" + schemaPointer));
                        schema.initializeValidators();
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("Cannot compile the request body schema at "
                                + schemaPointer + ": " + e.getMessage(), e);
                    }
                }
                mediaTypes.add(new MediaType(content.getKey(), schema));
            }
            return new Operation(method, template, Pattern.compile(regex.toString()), List.copyOf(variables),
                    operation.node().path("security"), !body.node().isMissingNode(),
                    body.node().path("required").asBoolean(false), List.copyOf(mediaTypes));
        }

        int variableCount() {
            return variables.size();
        }

        /** Reports path template values that are not a percent-encoded segment, such as one with a raw space. */
        List<String> pathSegmentViolations(String path) {
            Matcher matcher = pattern.matcher(path);
            if (!matcher.matches()) {
                throw new IllegalStateException(path + " does not match " + template);
            }
            List<String> violations = new ArrayList<>();
            for (int i = 0; i < variables.size(); i++) {
                String value = matcher.group(i + 1);
                if (!PATH_SEGMENT.matcher(value).matches()) {
                    violations.add("path parameter {" + variables.get(i) + "} of " + template + " is '" + value
                            + "', which is not a percent-encoded path segment (RFC 3986 pchar)");
                }
            }
            return violations;
        }

        List<String> bodyViolations(String contentType, byte[] body) {
            String operationName = method.toUpperCase(Locale.ROOT) + " " + template;

            if (body.length == 0) {
                return bodyRequired ? List.of(operationName + " requires a request body, but the request has none")
                        : List.of();
            }
            if (!requestBody) {
                return List.of(operationName + " defines no request body, but the request has " + body.length
                        + " bytes");
            }

            List<String> ranges = mediaTypes.stream().map(MediaType::range).collect(Collectors.toList());
            if (contentType == null || contentType.isBlank()) {
                return List.of("missing Content-Type header, but " + operationName + " takes a body of type " + ranges);
            }
            Optional<MediaType> mediaType = mediaTypes.stream()
                    .filter(candidate -> rangeIncludes(candidate.range(), contentType))
                    .findFirst();
            if (mediaType.isEmpty()) {
                return List.of("Content-Type '" + contentType + "' is not a body type of " + operationName + ", which "
                        + "takes " + ranges);
            }

            if (!isJson(contentType)) {
                // NOTE: Only JSON bodies are validated, because the Track API defines no other body type.
                return List.of();
            }

            JsonNode instance;
            try {
                instance = JSON.readTree(body);
            } catch (JacksonException e) {
                return List.of("the request body is not valid JSON: " + e.getOriginalMessage());
            }
            Schema schema = mediaType.get().schema();
            if (schema == null) {
                return List.of();
            }
            return closestAlternatives(schema.validate(instance)).stream()
                    .map(TrackApiContract::describe)
                    .distinct()
                    .collect(Collectors.toList());
        }
    }

    /** Formats a schema error as "body /batch/0/timestamp ("x"): string found, integer expected (schema #/...)". */
    private static String describe(Error error) {
        StringBuilder text = new StringBuilder("body");
        String location = error.getInstanceLocation().toString();
        if (!location.isEmpty()) {
            text.append(' ').append(location);
        }
        JsonNode value = error.getInstanceNode();
        if (value != null && value.isValueNode()) {
            String shown = value.toString();
            text.append(" (").append(shown.length() > 80 ? shown.substring(0, 77) + "..." : shown).append(')');
        }
        text.append(": ").append(error.getMessage());
        SchemaLocation schemaLocation = error.getSchemaLocation();
        if (schemaLocation != null) {
            text.append(" (schema #").append(schemaLocation.getFragment()).append(')');
        }
        return text.toString();
    }

    /** A schema error with its evaluation path and instance location as lists of segments. */
    private record Failure(Error error, List<String> evaluationPath, List<String> instanceLocation) {
        static Failure of(Error error) {
            return new Failure(error, segments(error.getEvaluationPath()), segments(error.getInstanceLocation()));
        }

        private static List<String> segments(NodePath path) {
            List<String> segments = new ArrayList<>(path.getNameCount());
            for (int i = 0; i < path.getNameCount(); i++) {
                segments.add(String.valueOf(path.getElement(i)));
            }
            return segments;
        }
    }

    /**
     * Where an {@code anyOf} or {@code oneOf} applies: the evaluation path up to the keyword and the instance it
     * was applied to. Errors of different batch items share the evaluation path but not the instance.
     */
    private record Alternatives(List<String> keywordPath, List<String> instanceLocation) {}

    /**
     * How far the instance is from an alternative: the number of failed {@code enum} and {@code const} keywords,
     * which usually mean the alternative is another variant of a tagged union, then the number of other errors.
     */
    private record Distance(int mismatches, int errors) implements Comparable<Distance> {
        static final Distance NONE = new Distance(0, 0);

        static Distance of(Failure failure) {
            String keyword = failure.error().getKeyword();
            boolean mismatch = "enum".equals(keyword) || "const".equals(keyword);
            return mismatch ? new Distance(1, 0) : new Distance(0, 1);
        }

        Distance plus(Distance other) {
            return new Distance(mismatches + other.mismatches, errors + other.errors);
        }

        @Override
        public int compareTo(Distance other) {
            return Comparator.comparingInt(Distance::mismatches).thenComparingInt(Distance::errors)
                    .compare(this, other);
        }
    }

    /** The errors kept from a list of failures, and the distance of the instance from the schema they came from. */
    private record Closest(List<Failure> kept, Distance distance) {}

    /**
     * Keeps, for each failed {@code anyOf} and {@code oneOf}, only the errors of the alternatives at the smallest
     * {@link Distance}, and every error outside such keywords. Never returns an empty list for a non-empty input,
     * because each failed keyword keeps at least one alternative.
     */
    private static List<Error> closestAlternatives(List<Error> errors) {
        List<Failure> failures = errors.stream().map(Failure::of).collect(Collectors.toList());
        Set<Failure> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(keepClosest(failures, 0).kept());
        return failures.stream().filter(kept::contains).map(Failure::error).collect(Collectors.toList());
    }

    private static Closest keepClosest(List<Failure> failures, int fromSegment) {
        List<Failure> kept = new ArrayList<>();
        Distance distance = Distance.NONE;
        Map<Alternatives, Map<String, List<Failure>>> byAlternative = new LinkedHashMap<>();
        for (Failure failure : failures) {
            int[] keyword = firstAlternativeKeyword(failure.evaluationPath(), fromSegment);
            if (keyword == null) {
                kept.add(failure);
                distance = distance.plus(Distance.of(failure));
                continue;
            }
            int position = keyword[0];
            int instanceDepth = Math.min(keyword[1], failure.instanceLocation().size());
            Alternatives where = new Alternatives(failure.evaluationPath().subList(0, position + 1),
                    failure.instanceLocation().subList(0, instanceDepth));
            byAlternative.computeIfAbsent(where, key -> new LinkedHashMap<>())
                    .computeIfAbsent(failure.evaluationPath().get(position + 1), key -> new ArrayList<>())
                    .add(failure);
        }
        for (Map.Entry<Alternatives, Map<String, List<Failure>>> keyword : byAlternative.entrySet()) {
            int alternativeStart = keyword.getKey().keywordPath().size() + 1;
            List<Closest> closest = new ArrayList<>();
            for (List<Failure> alternative : keyword.getValue().values()) {
                Closest candidate = keepClosest(alternative, alternativeStart);
                int order = closest.isEmpty() ? -1 : candidate.distance().compareTo(closest.get(0).distance());
                if (order < 0) {
                    closest.clear();
                }
                if (order <= 0) {
                    closest.add(candidate);
                }
            }
            closest.forEach(candidate -> kept.addAll(candidate.kept()));
            distance = distance.plus(closest.get(0).distance());
        }
        return new Closest(kept, distance);
    }

    /**
     * Finds the first {@code anyOf}/{@code oneOf} keyword at or after {@code fromSegment} that is followed by an
     * alternative index.
     *
     * @return the keyword's position and the depth of the instance it applies to, or null when there is none
     */
    private static int[] firstAlternativeKeyword(List<String> evaluationPath, int fromSegment) {
        int instanceDepth = 0;
        for (int i = 0; i < evaluationPath.size(); i++) {
            switch (evaluationPath.get(i)) {
                case "properties", "patternProperties", "prefixItems" -> {
                    i++;
                    instanceDepth++;
                }
                case "items", "additionalProperties", "unevaluatedProperties", "unevaluatedItems", "contains" ->
                        instanceDepth++;
                case "allOf", "dependentSchemas" -> i++;
                case "anyOf", "oneOf" -> {
                    if (i >= fromSegment && i + 1 < evaluationPath.size()) {
                        return new int[] {i, instanceDepth};
                    }
                    i++;
                }
                default -> {
                    // $ref, not, if, then, else and assertion keywords apply to the same instance.
                }
            }
        }
        return null;
    }

    /**
     * Formats validator messages with the templates inside the json-schema-validator jar itself.
     *
     * <p>wiremock-standalone 3.13.2 also contains {@code jsv-messages.properties} at its root, from the older
     * validator it bundles. When it comes first on the class path, json-schema-validator 3.0.9 formats its
     * arguments with those older templates, giving messages such as "identifiers: required property '{1}' not
     * found". Reading the templates from the validator's own jar avoids that.
     */
    private static MessageSource validatorMessages() {
        CodeSource codeSource = Schema.class.getProtectionDomain().getCodeSource();
        if (codeSource == null) {
            return DefaultMessageSource.getInstance();
        }
        Properties templates = new Properties();
        String resource = DefaultMessageSource.BUNDLE_BASE_NAME + ".properties";
        try (URLClassLoader validatorJar = new URLClassLoader(new URL[] {codeSource.getLocation()}, null);
                InputStream in = validatorJar.getResourceAsStream(resource)) {
            if (in == null) {
                return DefaultMessageSource.getInstance();
            }
            templates.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the json-schema-validator message templates", e);
        }
        return (key, defaultMessage, locale, arguments) -> {
            String template = templates.getProperty(key);
            if (template != null) {
                return new MessageFormat(template, Locale.ROOT).format(arguments);
            }
            return defaultMessage != null ? defaultMessage.get() : key + " " + Arrays.toString(arguments);
        };
    }
}
