package dev.ciobridge.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ciobridge.testing.RunningService;
import dev.ciobridge.testing.ServiceProcess;

/** A start that fails, here on a route file naming an unknown template, ends the process with one clear line. */
class StartupFailureTest {

    @Test
    void badRouteFileEndsTheProcessWithItsReason() throws Exception {
        Path workingDir = Files.createTempDirectory("cio-bridge-bad-start");
        Files.createDirectories(workingDir.resolve("config/routes"));
        Files.writeString(workingDir.resolve("config/routes/broken.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: no-such-template
                    parameters:
                      - name: syncId
                        value: broken
                """);
        Path log = workingDir.resolve("service.log");
        Map<String, String> properties = RunningService.defaults("http://127.0.0.1:9", workingDir.resolve("data"),
                RunningService.freePort());
        // The test service turns reloading off; route files are still loaded once at start.
        try (ServiceProcess service = ServiceProcess.start(properties, workingDir, log)) {
            Integer exitCode = service.awaitExit(Duration.ofSeconds(60));

            assertThat(exitCode).as("exit code (null: still running); log " + log).isEqualTo(1);
        }
        assertThat(Files.readString(log, StandardCharsets.UTF_8))
                .contains("cio-bridge failed to start: Cannot find RouteTemplate with id no-such-template");
    }
}
