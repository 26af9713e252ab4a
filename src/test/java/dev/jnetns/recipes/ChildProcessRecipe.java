package dev.jnetns.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.NsFd;
import dev.jnetns.junit.TransientNetns;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recipe: a child process started with a plain {@code ProcessBuilder} inside the test runs in the test's
 * namespace (a child inherits its parent thread's), serves on a fixed port there, and is destroyed and waited for
 * by the test. The JDK's {@code process reaper} thread, started inside if none was idle, is not reported.
 */
@TransientNetns
public class ChildProcessRecipe {
    @Test
    void aServerProcessInsideTheTestsNamespace(NsFd self, @TempDir Path served) throws Exception {
        Process server = new ProcessBuilder("python3", "-m", "http.server", "8099", "--bind", "127.0.0.1")
                .directory(served.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            // the independent eye: the kernel's view of the child's namespace
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + server.pid() + "/ns/net"))
                            .toString())
                    .isEqualTo("net:[" + self.ino() + "]");
            assertThat(getWhenUp("http://127.0.0.1:8099/")).contains("Directory listing");
        } finally {
            server.destroy();
            assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** The body at {@code uri}, once the server listens (it starts in a moment). */
    private static String getWhenUp(String uri) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create(uri).toURL().openConnection();
            try (InputStream in = connection.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (ConnectException e) {
                if (attempt > 200) {
                    throw e;
                }
                Thread.sleep(25);
            } finally {
                connection.disconnect();
            }
        }
    }
}
