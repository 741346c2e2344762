package dev.ciobridge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.main.Main;

/**
 * Starts cio-bridge: a Camel main that scans this package for configurations and Java routes, and loads the YAML
 * routes named by {@code camel.main.routes-include-pattern}.
 */
public final class CioBridge {

    /** Built-in defaults first, then the operator's file in the working directory, which overrides them. */
    public static final String PROPERTY_LOCATIONS =
            "file:config/application.properties;optional=true,classpath:application.properties";

    private CioBridge() {
    }

    /** The editable route folder, relative to the working directory, and the default files the jar ships for it. */
    static final Path EDITABLE_ROUTES = Path.of("config", "routes");
    static final String[] DEFAULT_ROUTE_FILES = {"stripe-webhook.camel.yaml"};

    public static void main(String[] args) throws Exception {
        writeDefaultRoutes(EDITABLE_ROUTES);
        Main main = new Main(CioBridge.class);
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        try {
            main.run(args);
        } catch (Exception e) {
            // Without this, threads started before the failure (the HTTP server's among them) keep the JVM alive
            // without serving, and a supervisor never sees the process end.
            org.slf4j.LoggerFactory.getLogger(CioBridge.class).error("cio-bridge failed to start: {}", rootMessage(e), e);
            System.exit(1);
        }
    }

    /** Returns the innermost message of an exception chain, which names the file, route or property at fault. */
    static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /**
     * Creates the editable route folder with the default route files when the working directory has none, so the
     * service starts with its Stripe mapping from any directory. Files that exist are never overwritten.
     */
    static void writeDefaultRoutes(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        Files.createDirectories(folder);
        for (String name : DEFAULT_ROUTE_FILES) {
            try (InputStream defaults = CioBridge.class.getResourceAsStream("/defaults/config/routes/" + name)) {
                if (defaults != null) {
                    Files.copy(defaults, folder.resolve(name));
                }
            }
        }
    }
}
