package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.Link;
import dev.jnetns.testing.Eye;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Whole-suite isolation: {@code jnetns.isolation} with JUnit's extension auto-detection places tests without
 * annotations in namespaces of their own, as a user's build would configure it (through configuration
 * parameters; the extension comes from the jar's {@code META-INF/services}).
 */
class SuiteIsolationIT {
    static final Map<String, Long> SEEN = new ConcurrentHashMap<>();
    /**
     * Each fixture test's namespace, held open until the assertions: the kernel reuses the inode number of a
     * namespace that is gone, so distinct numbers prove distinct namespaces only while all of them live.
     */
    static final List<NsFd> HELD = java.util.Collections.synchronizedList(new ArrayList<>());

    static final String AUTODETECT = "junit.jupiter.extensions.autodetection.enabled=true";

    /** What every fixture test does: a server on the fixed port 8080, reached, and where the thread was. */
    static void serveOn8080(String who) throws IOException {
        SEEN.put(who, Eye.threadIno());
        HELD.add(NsFd.current());
        try (ServerSocket server = new ServerSocket(8080, 50, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), 8080);
                Socket accepted = server.accept()) {
            OutputStream out = accepted.getOutputStream();
            out.write(who.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            accepted.shutdownOutput();
            InputStream in = client.getInputStream();
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo(who);
        }
    }

    public static class First {
        @Test
        void a() throws Exception {
            serveOn8080("First.a");
        }

        @Test
        void b() throws Exception {
            serveOn8080("First.b");
        }

        @Test
        void c() throws Exception {
            serveOn8080("First.c");
        }
    }

    public static class Second {
        @Test
        void a() throws Exception {
            serveOn8080("Second.a");
        }

        @Test
        void b() throws Exception {
            serveOn8080("Second.b");
        }

        @Test
        void c() throws Exception {
            serveOn8080("Second.c");
        }
    }

    public static class Third {
        @Test
        void a() throws Exception {
            serveOn8080("Third.a");
        }

        @Test
        void b() throws Exception {
            serveOn8080("Third.b");
        }

        @Test
        void c() throws Exception {
            serveOn8080("Third.c");
        }
    }

    public static class Fourth {
        @Test
        void a() throws Exception {
            serveOn8080("Fourth.a");
        }

        @Test
        void b() throws Exception {
            serveOn8080("Fourth.b");
        }

        @Test
        void c() throws Exception {
            serveOn8080("Fourth.c");
        }
    }

    @AfterEach
    void closeHeld() {
        synchronized (HELD) {
            HELD.forEach(NsFd::close);
            HELD.clear();
        }
    }

    static final List<Class<?>> FOUR = List.of(First.class, Second.class, Third.class, Fourth.class);

    @Test
    void fourUnannotatedClassesOnOnePortRunInParallelEachTestInItsOwnNamespace() {
        SEEN.clear();
        long jvm = Eye.inoOfLink(Path.of("/proc/self/ns/net"));
        EngineExecutionResults results = Kit.runParallel(FOUR, AUTODETECT, TransientNetns.ISOLATION_KEY + "=test");
        Kit.assertAllSucceeded(results, 12);
        assertThat(SEEN).hasSize(12);
        assertThat(SEEN.values()).doesNotContain(jvm, Eye.threadIno());
        assertThat(new HashSet<>(SEEN.values()))
                .as("one namespace per test (all held open): %s", SEEN)
                .hasSize(12);
        for (long ino : SEEN.values()) {
            assertThat(Eye.eventually(() -> Eye.threadsIn(ino).isEmpty())).isTrue();
        }
    }

    @Test
    void withIsolationPerClassTheTestsOfAClassShareItsNamespaceAndBeforeAllRunsThere() {
        SEEN.clear();
        long jvm = Eye.inoOfLink(Path.of("/proc/self/ns/net"));
        Kit.assertAllSucceeded(Kit.run(ClassWide.class, AUTODETECT, TransientNetns.ISOLATION_KEY + "=class"), 3);
        Kit.assertAllSucceeded(Kit.run(First.class, AUTODETECT, TransientNetns.ISOLATION_KEY + "=class"), 3);
        long shared = Kit.get(SEEN, "beforeAll");
        assertThat(shared).isNotEqualTo(jvm);
        assertThat(List.of(SEEN.get("ClassWide.one"), SEEN.get("ClassWide.two"), SEEN.get("ClassWide.Inner.three")))
                .containsOnly(shared);
        assertThat(List.of(SEEN.get("First.a"), SEEN.get("First.b"), SEEN.get("First.c")))
                .as("another class, another namespace")
                .doesNotContain(shared, jvm)
                .containsOnly(SEEN.get("First.a"));
    }

    public static class ClassWide {
        @BeforeAll
        static void before() {
            SEEN.put("beforeAll", Eye.threadIno());
            HELD.add(NsFd.current());
        }

        @Test
        void one() {
            SEEN.put("ClassWide.one", Eye.threadIno());
        }

        @Test
        void two() {
            SEEN.put("ClassWide.two", Eye.threadIno());
        }

        @Nested
        class Inner {
            @Test
            void three() {
                SEEN.put("ClassWide.Inner.three", Eye.threadIno());
            }
        }
    }

    @Test
    void withoutAutoDetectionOrWithoutTheSettingTestsRunWhereJUnitRunsThem() {
        SEEN.clear();
        long here = Eye.threadIno();
        Kit.assertAllSucceeded(Kit.run(First.class, TransientNetns.ISOLATION_KEY + "=test"), 3);
        assertThat(SEEN.values()).containsOnly(here);
        SEEN.clear();
        Kit.assertAllSucceeded(Kit.run(First.class, AUTODETECT), 3);
        assertThat(SEEN.values()).containsOnly(here);
        SEEN.clear();
        Kit.assertAllSucceeded(Kit.run(First.class, AUTODETECT, TransientNetns.ISOLATION_KEY + "=none"), 3);
        assertThat(SEEN.values()).containsOnly(here);
    }

    public static class Mixed {
        @Test
        @HostNetns
        void outside() {
            SEEN.put("outside", Eye.threadIno());
        }

        @Test
        @TransientNetns(lo = Netns.Lo.DOWN)
        void annotated(NsFd self) throws IOException {
            SEEN.put("annotated", Eye.threadIno());
            SEEN.put("annotatedParameter", self.ino());
            SEEN.put("annotatedLoUp", NetworkInterface.getByName("lo").isUp() ? 1L : 0L);
        }

        @Test
        void isolated(NsFd self, @TransientNetns("peer") NsFd peer, @Veth Link veth) {
            SEEN.put("isolated", Eye.threadIno());
            SEEN.put("isolatedParameter", self.ino());
            SEEN.put("vethIndex", (long) veth.index());
        }
    }

    @HostNetns
    public static class Outside {
        @Test
        void here() {
            SEEN.put("Outside.here", Eye.threadIno());
        }

        @Test
        @TransientNetns
        void butThisOneInside() {
            SEEN.put("Outside.butThisOneInside", Eye.threadIno());
        }
    }

    @Test
    void annotationsWinHostNetnsOptsOutAndTheReportSaysWhichRanOutside() {
        SEEN.clear();
        long here = Eye.threadIno();
        EngineExecutionResults results = Kit.run(Mixed.class, AUTODETECT, TransientNetns.ISOLATION_KEY + "=test");
        Kit.assertAllSucceeded(results, 3);
        EngineExecutionResults outside = Kit.run(Outside.class, AUTODETECT, TransientNetns.ISOLATION_KEY + "=test");
        Kit.assertAllSucceeded(outside, 2);
        assertThat(Kit.get(SEEN, "outside")).isEqualTo(here);
        assertThat(Kit.get(SEEN, "Outside.here")).isEqualTo(here);
        assertThat(Kit.get(SEEN, "Outside.butThisOneInside")).isNotEqualTo(here);
        // one extension instance: one namespace, its parameter, and the annotation's lo = DOWN
        assertThat(Kit.get(SEEN, "annotated")).isNotEqualTo(here).isEqualTo(SEEN.get("annotatedParameter"));
        assertThat(Kit.get(SEEN, "annotatedLoUp")).isZero();
        assertThat(Kit.get(SEEN, "isolated")).isNotEqualTo(here).isEqualTo(SEEN.get("isolatedParameter"));
        assertThat(Kit.get(SEEN, "vethIndex")).isPositive();
        List<String> entries = new ArrayList<>();
        for (EngineExecutionResults each : List.of(results, outside)) {
            each.allEvents().reportingEntryPublished().stream()
                    .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs())
                    .forEach(pairs -> pairs.forEach((k, v) -> entries.add(k + "=" + v)));
        }
        assertThat(entries)
                .filteredOn(e -> e.startsWith(TransientNetnsExtension.ISOLATION_ENTRY + "="))
                .hasSize(2)
                .allMatch(e -> e.contains("@HostNetns"));
    }

    public static class LeavesAThread {
        static final CountDownLatch STOP = new CountDownLatch(1);

        @Test
        void startsAndForgets() {
            Thread t = new Thread(
                    () -> {
                        try {
                            STOP.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "forgotten-by-an-isolated-test");
            t.start();
        }
    }

    @Test
    void leftoversAreReportedInThisModeToo() {
        try {
            EngineExecutionResults results =
                    Kit.run(LeavesAThread.class, AUTODETECT, TransientNetns.ISOLATION_KEY + "=test");
            results.testEvents()
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(
                                    test("startsAndForgets"),
                                    finishedWithFailure(message(m -> m.contains("forgotten-by-an-isolated-test")
                                            && m.contains("still running inside")))));
        } finally {
            LeavesAThread.STOP.countDown();
        }
    }

    @Test
    void aMisspelledSettingFailsNamingTheKey() {
        EngineExecutionResults results = Kit.run(First.class, AUTODETECT, TransientNetns.ISOLATION_KEY + "=tests");
        Set<String> messages = new HashSet<>();
        results.allEvents().failed().stream()
                .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                        .map(Throwable::getMessage)
                        .orElse(""))
                .forEach(messages::add);
        assertThat(messages)
                .isNotEmpty()
                .allMatch(m -> m.endsWith("jnetns.isolation must be none, test or class, was \"tests\""));
    }
}
