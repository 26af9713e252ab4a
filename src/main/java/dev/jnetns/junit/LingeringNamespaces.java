package dev.jnetns.junit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Namespaces of ended tests that threads which end on their own still hold (see {@link KnownThreads}). Most such
 * threads idle out within a minute, but a JDK 17 {@code HttpClient} that a test dropped keeps its selector thread
 * (and so the namespace) until the client is garbage-collected. When more than {@link #LIMIT} namespaces are held
 * so, jnetns asks for a garbage collection, at most every few seconds: measured with 1,000 tests that each drop a
 * client, all of them were gone within 3 s of one.
 */
final class LingeringNamespaces {
    static final int LIMIT = 64;
    private static final long MIN_NANOS_BETWEEN_COLLECTIONS = TimeUnit.SECONDS.toNanos(3);
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final Set<Long> HELD = new HashSet<>();
    private static long lastCollection = System.nanoTime() - MIN_NANOS_BETWEEN_COLLECTIONS;

    private LingeringNamespaces() {}

    /** A test has ended leaving threads that end on their own in namespace {@code ino}. */
    static synchronized void heldAfterTest(long ino) {
        HELD.add(ino);
        if (HELD.size() <= LIMIT) {
            return;
        }
        HELD.retainAll(threadNamespaces());
        long now = System.nanoTime();
        if (HELD.size() > LIMIT && now - lastCollection >= MIN_NANOS_BETWEEN_COLLECTIONS) {
            lastCollection = now;
            System.gc(); // dropped HttpClients' selector threads end once their clients are collected
        }
    }

    /** How many namespaces were last counted as held (for tests). */
    static synchronized int held() {
        return HELD.size();
    }

    /** The network namespaces this JVM's threads are in now. */
    private static Set<Long> threadNamespaces() {
        Set<Long> inos = new HashSet<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String link = Files.readSymbolicLink(task.resolve("ns/net")).toString();
                    inos.add(Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']'))));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // nothing to prune with: keep counting
        }
        return inos;
    }
}
