package dev.jnetns.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.jnetns.junit.TransientNetns;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Recipe: the JDK's {@code HttpServer} on a fixed port and its {@code HttpClient}, as their documentation shows,
 * one server per test. Every test has its own namespace, so every test has its own port 8080: run in parallel
 * (see {@code RecipesIT}), none collides with another, and each reaches its own server. The client is
 * made inside the test and dropped without {@code close()} (JDK 17 has none): its selector and worker threads
 * stay inside the namespace until the client is garbage-collected and they idle out, which jnetns knows and
 * does not report.
 */
@TransientNetns
public class JdkHttpRecipe {
    private HttpServer server;

    @BeforeEach
    void startServer(TestInfo test) throws IOException {
        String greeting = "hello from " + test.getDisplayName();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080), 0);
        server.createContext("/", exchange -> {
            byte[] body = greeting.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void first(TestInfo test) throws Exception {
        assertThat(get("http://127.0.0.1:8080/")).isEqualTo("hello from " + test.getDisplayName());
    }

    @Test
    void second(TestInfo test) throws Exception {
        assertThat(get("http://127.0.0.1:8080/")).isEqualTo("hello from " + test.getDisplayName());
    }

    @Test
    void third(TestInfo test) throws Exception {
        assertThat(get("http://127.0.0.1:8080/")).isEqualTo("hello from " + test.getDisplayName());
    }

    private static String get(String uri) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
