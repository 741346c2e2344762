package dev.ciobridge;

import org.apache.camel.main.Main;

/**
 * Starts cio-bridge: a Camel main that scans this package for configurations and Java routes, and loads the YAML
 * routes named by {@code camel.main.routes-include-pattern}.
 */
public final class CioBridge {

    /** Built-in defaults first, then the operator's file in the working directory, which overrides them. */
    public static final String PROPERTY_LOCATIONS =
            "classpath:application.properties,file:config/application.properties;optional=true";

    private CioBridge() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(CioBridge.class);
        main.setPropertyPlaceholderLocations(PROPERTY_LOCATIONS);
        main.run(args);
    }
}
