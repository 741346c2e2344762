package dev.ciobridge.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.apache.camel.builder.RouteBuilder;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** {@code GET /openapi.json}: the OpenAPI description of the whole HTTP API, kept as YAML in the jar. */
public class OpenApiRoutes extends RouteBuilder {

    public static final String ROUTE_ID = "openapi";
    public static final String RESOURCE = "openapi/cio-bridge.yaml";

    @Override
    public void configure() {
        byte[] document = Json.write(load());
        from("platform-http:/openapi.json?httpMethodRestrict=GET")
                .routeId(ROUTE_ID)
                .routeConfigurationId(ApiErrorHandling.ID)
                .process(exchange -> {
                    exchange.getMessage().removeHeaders("*");
                    exchange.getMessage().setHeader(org.apache.camel.Exchange.CONTENT_TYPE, "application/json");
                    exchange.getMessage().setBody(document);
                });
    }

    /** Loads the document as maps and lists, with its YAML anchors resolved. */
    public static Object load() {
        try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new Load(LoadSettings.builder().setMaxAliasesForCollections(500).build()).loadFromInputStream(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
