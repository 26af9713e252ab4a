package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Threads that end on their own hold their test's namespace until they do: 1,000 tests that each drop a JDK
 * {@code HttpClient} (JDK 17 style) must not leave 1,000 namespaces and their threads behind.
 */
class LingeringIT {
    static final int TESTS = 1000;

    @TransientNetns
    static class DropsAClient {
        @RepeatedTest(TESTS)
        void getAndDrop() throws Exception {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080), 0);
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(200, 2);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write("hi".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            });
            server.start();
            try {
                HttpClient client = HttpClient.newHttpClient();
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/"))
                        .build();
                assertThat(client.send(request, HttpResponse.BodyHandlers.ofString())
                                .body())
                        .isEqualTo("hi");
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void aThousandDroppedClientsDoNotPileUpNamespaces() throws IOException {
        Runtime rt = Runtime.getRuntime();
        long start = System.nanoTime();
        Kit.assertAllSucceeded(Kit.run(DropsAClient.class), TESTS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        Set<String> namespaces = threadNamespaces();
        System.out.printf(
                "LingeringIT: %d tests in %d ms; after them %d network namespaces held by %d threads; heap %d MiB%n",
                TESTS, millis, namespaces.size(), Thread.activeCount(), (rt.totalMemory() - rt.freeMemory()) >> 20);
        // bounded: past LingeringNamespaces.LIMIT, jnetns has the dropped clients collected, and their threads end
        // within about 3 s (the selector's wake-up), during which at most some more tests run
        assertThat(namespaces.size())
                .as("namespaces held after %d tests", TESTS)
                .isLessThan(TESTS / 4);
    }

    /** The distinct network namespaces of this JVM's threads. */
    static Set<String> threadNamespaces() throws IOException {
        Set<String> found = new HashSet<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    found.add(Files.readSymbolicLink(task.resolve("ns/net")).toString());
                } catch (IOException e) {
                    // ended
                }
            }
        }
        return found;
    }
}
