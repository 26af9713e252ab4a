package dev.jnetns.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.junit.TransientNetns;
import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Recipe: OkHttp's {@code MockWebServer} on a fixed port, called with OkHttp's own client, a server per test.
 * The client is built with {@code fastFallback(false)}: OkHttp's default (fast fallback) opens connections on its
 * JVM-wide task runner threads, which are born inside the first test that needs them and stay in its namespace,
 * so that later tests would connect from there and fail; without it, a call connects on the calling thread,
 * inside the calling test's namespace. The task runner still starts inside the first test (to evict idle
 * connections), which jnetns reports as a warning.
 */
@TransientNetns
public class OkHttpRecipe {
    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void startServer(TestInfo test) throws IOException {
        server.enqueue(new MockResponse.Builder()
                .body("hello from " + test.getDisplayName())
                .build());
        server.start(8080);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void first(TestInfo test) throws IOException {
        assertThat(get()).isEqualTo("hello from " + test.getDisplayName());
    }

    @Test
    void second(TestInfo test) throws IOException {
        assertThat(get()).isEqualTo("hello from " + test.getDisplayName());
    }

    @Test
    void third(TestInfo test) throws IOException {
        assertThat(get()).isEqualTo("hello from " + test.getDisplayName());
    }

    private String get() throws IOException {
        OkHttpClient client = new OkHttpClient.Builder().fastFallback(false).build();
        Request request = new Request.Builder().url(server.url("/")).build();
        try (Response response = client.newCall(request).execute()) {
            return response.body().string();
        }
    }
}
