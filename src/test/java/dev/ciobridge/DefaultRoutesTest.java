package dev.ciobridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The editable route folder written on a first start from a directory that has none. */
class DefaultRoutesTest {

    @Test
    void missingFolderGetsDefaultRoutes(@TempDir Path directory) throws Exception {
        Path folder = directory.resolve("config/routes");

        CioBridge.writeDefaultRoutes(folder);

        Path stripe = folder.resolve("stripe-webhook.camel.yaml");
        assertThat(stripe).exists();
        assertThat(Files.readString(stripe)).isEqualTo(Files.readString(Path.of("config/routes/stripe-webhook.camel.yaml")));
    }

    @Test
    void existingFolderIsLeftAlone(@TempDir Path directory) throws Exception {
        Path folder = Files.createDirectories(directory.resolve("config/routes"));
        Files.writeString(folder.resolve("mine.camel.yaml"), "# edited");

        CioBridge.writeDefaultRoutes(folder);

        assertThat(folder.resolve("stripe-webhook.camel.yaml")).doesNotExist();
        assertThat(Files.readString(folder.resolve("mine.camel.yaml"))).isEqualTo("# edited");
    }
}
