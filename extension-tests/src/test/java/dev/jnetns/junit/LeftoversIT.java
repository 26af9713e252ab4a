package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Eye;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * What a test leaves behind inside its namespaces: threads are reported by their Java names and ids with where
 * they are; processes are ended (checked in {@code /proc}) and reported with their pids and command lines; the
 * verdicts follow {@link NetnsLeaks} per class and per test.
 */
class LeftoversIT {
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();
    static volatile CountDownLatch RELEASE = new CountDownLatch(1);

    @BeforeEach
    void hold() {
        RELEASE = new CountDownLatch(1); // a latch per test: the threads of this test wait until it ends
    }

    @AfterEach
    void release() throws Exception {
        RELEASE.countDown();
        if (SEEN.get("server") instanceof ServerSocket s) {
            s.close();
        }
        if (SEEN.get("pool") instanceof ExecutorService pool) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        SEEN.clear();
    }

    @TransientNetns
    static class LeavesAServerLoop {
        @Test
        void acceptsForever() throws IOException {
            ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            SEEN.put("server", server);
            Thread loop = new Thread(
                    () -> {
                        try {
                            server.accept().close();
                        } catch (IOException e) {
                            // closed by the checking test
                        }
                    },
                    "accept-loop");
            loop.start();
            SEEN.put("thread", loop);
        }
    }

    @Test
    void aServerLoopIsReportedWithItsJavaNameIdAndStack() throws Exception {
        EngineExecutionResults results = Kit.run(LeavesAServerLoop.class);
        Thread loop = (Thread) Kit.get(SEEN, "thread");
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("acceptsForever"),
                                finishedWithFailure(message(m -> m.contains("1 thread of acceptsForever()")
                                        && m.contains("'accept-loop' (#" + loop.getId() + ", tid ")
                                        && m.contains(" at ")
                                        && m.contains("accept")
                                        && m.contains("@NetnsLeaks")))));
        ((ServerSocket) SEEN.get("server")).close();
        loop.join(10_000);
        assertThat(loop.isAlive()).isFalse();
    }

    @TransientNetns
    static class LeavesAFixedPool {
        @Test
        void neverShutsItDown() throws InterruptedException {
            AtomicInteger n = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(3);
            ExecutorService pool = Executors.newFixedThreadPool(
                    3, r -> new Thread(r, "my-long-pool-name-worker-" + n.getAndIncrement()));
            SEEN.put("pool", pool);
            for (int i = 0; i < 3; i++) {
                pool.execute(() -> {
                    started.countDown();
                    try {
                        RELEASE.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            started.await();
        }
    }

    @Test
    void threadsWhoseKernelNamesAreAlikeAreToldApart() {
        EngineExecutionResults results = Kit.run(LeavesAFixedPool.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("neverShutsItDown"),
                                finishedWithFailure(message(m -> m.contains("3 threads of neverShutsItDown()")
                                        && m.contains("'my-long-pool-name-worker-0' (#")
                                        && m.contains("'my-long-pool-name-worker-1' (#")
                                        && m.contains("'my-long-pool-name-worker-2' (#")))));
    }

    @TransientNetns
    @NetnsLeaks(threads = NetnsLeaks.Verdict.WARN)
    static class WarnsForItsThreads {
        @Test
        void leavesAWarnedThread() {
            startWaiter("warned-thread");
        }

        @Test
        @NetnsLeaks(threads = NetnsLeaks.Verdict.FAIL)
        void leavesAThreadButFails() {
            startWaiter("failing-thread");
        }

        @Test
        @NetnsLeaks(ignoreThreads = "ignored-\\d+")
        void leavesAnIgnoredThread() {
            startWaiter("ignored-7");
        }
    }

    static void startWaiter(String name) {
        Thread t = new Thread(
                () -> {
                    try {
                        RELEASE.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
    }

    @Test
    void theVerdictIsSetPerClassAndPerTest() {
        EngineExecutionResults results = Kit.run(WarnsForItsThreads.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(1, event(test("leavesAWarnedThread"), finishedSuccessfully()))
                .haveExactly(1, event(test("leavesAnIgnoredThread"), finishedSuccessfully()))
                .haveExactly(
                        1,
                        event(
                                test("leavesAThreadButFails"),
                                finishedWithFailure(message(m -> m.contains("'failing-thread'")))));
        List<String> entries = entries(results);
        assertThat(entries).anySatisfy(e -> assertThat(e).contains("'warned-thread'"));
        assertThat(entries).noneSatisfy(e -> assertThat(e).contains("ignored-7"));
    }

    /** One test method, inherited by two classes that judge its leftover thread differently. */
    @TransientNetns
    abstract static class LeavesAThreadToItsSubclasses {
        @Test
        void leavesAThread() {
            startWaiter("inherited-" + getClass().getSimpleName());
        }
    }

    static class FailsForTheInheritedThread extends LeavesAThreadToItsSubclasses {}

    @NetnsLeaks(threads = NetnsLeaks.Verdict.WARN)
    static class WarnsForTheInheritedThread extends LeavesAThreadToItsSubclasses {}

    @Test
    void anInheritedTestIsJudgedByEachClassThatRunsItInOneRun() {
        // the settings a method's tests share are worked out once per class run: each class gets its own
        EngineExecutionResults results =
                Kit.run(List.of(WarnsForTheInheritedThread.class, FailsForTheInheritedThread.class));
        results.testEvents()
                .assertThatEvents()
                .haveExactly(1, event(test("leavesAThread"), finishedSuccessfully()))
                .haveExactly(
                        1,
                        event(
                                test("leavesAThread"),
                                finishedWithFailure(
                                        message(m -> m.contains("'inherited-FailsForTheInheritedThread'")))));
        assertThat(entries(results)).anySatisfy(e -> assertThat(e).contains("'inherited-WarnsForTheInheritedThread'"));
    }

    @TransientNetns
    static class ForgetsAProcess {
        @Test
        void startsAndForgets(NsFd self) throws IOException {
            // a shell with a child of its own: both must go
            Process shell = new ProcessBuilder("sh", "-c", "sleep 600 & wait").start();
            SEEN.put("ino", self.ino());
            SEEN.put("pid", shell.pid());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (shell.children().findAny().isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            SEEN.put("child", shell.children().findAny().orElseThrow().pid());
        }
    }

    @Test
    void aProcessLeftRunningIsEndedWithItsChildrenAndReported() {
        EngineExecutionResults results = Kit.run(ForgetsAProcess.class);
        long pid = (Long) Kit.get(SEEN, "pid");
        long child = (Long) Kit.get(SEEN, "child");
        long ino = (Long) Kit.get(SEEN, "ino");
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("startsAndForgets"),
                                finishedWithFailure(message(m -> m.contains("processes ")
                                        && m.contains(pid + " (sh -c sleep 600 & wait)") // in pid order: ids wrap
                                        && m.contains(child + " (sleep 600)")
                                        && m.contains("net:[" + ino + "]")
                                        && m.contains("SIGTERM")))));
        assertThat(Eye.processRuns(pid)).as("the shell %d", pid).isFalse();
        assertThat(Eye.processRuns(child)).as("its child %d", child).isFalse();
        assertThat(Eye.processesIn(ino)).isEmpty();
    }

    @TransientNetns
    @NetnsLeaks(processes = NetnsLeaks.Verdict.WARN)
    static class ForgetsAProcessInAPeer {
        @Test
        void startsThroughNetns(@TransientNetns("peer") NsFd peer) throws IOException {
            Process sleeper = Netns.start(peer, new ProcessBuilder("sleep", "600"));
            SEEN.put("ino", peer.ino());
            SEEN.put("pid", sleeper.pid());
        }
    }

    @Test
    void aProcessStartedWithNetnsStartInAFurtherNamespaceIsEndedToo() {
        EngineExecutionResults results = Kit.run(ForgetsAProcessInAPeer.class);
        long pid = (Long) Kit.get(SEEN, "pid");
        long ino = (Long) Kit.get(SEEN, "ino");
        Kit.assertAllSucceeded(results, 1);
        assertThat(entries(results))
                .anySatisfy(e -> assertThat(e).contains("process " + pid + " (sleep 600)", "namespace \"peer\""));
        assertThat(Eye.processRuns(pid)).isFalse();
        assertThat(Eye.processesIn(ino)).isEmpty();
    }

    /** Sockets left open: nothing else (no thread) holds the namespace. */
    @TransientNetns
    static class LeavesSockets {
        @Test
        void leavesAListener() throws IOException {
            ServerSocket server = new ServerSocket(8080, 1, InetAddress.getLoopbackAddress());
            SEEN.put("server", server);
        }

        @Test
        void leavesAConnection() throws IOException {
            try (ServerSocket server = new ServerSocket(8081, 1, InetAddress.getLoopbackAddress())) {
                Socket client = new Socket(InetAddress.getLoopbackAddress(), 8081);
                Socket accepted = server.accept();
                SEEN.put("client", client);
                SEEN.put("accepted", accepted);
            }
        }

        @Test
        void dropsAClientWhosePeerIsGone() throws IOException {
            Socket client;
            try (ServerSocket server = new ServerSocket(8082, 1, InetAddress.getLoopbackAddress());
                    Socket accepted = serverAccepting(server)) {
                client = (Socket) SEEN.remove("pending");
                accepted.getOutputStream().write(1);
            }
            assertThat(client.getInputStream().read()).isEqualTo(1);
            SEEN.put("halfClosed", client); // its peer closed: CLOSE_WAIT, harmless
        }

        private static Socket serverAccepting(ServerSocket server) throws IOException {
            SEEN.put("pending", new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            return server.accept();
        }
    }

    /** A listener left in a further namespace, which the test's code reaches only through Netns.execute. */
    @TransientNetns
    static class LeavesASocketInAPeer {
        @Test
        void listensInThePeer(@TransientNetns("peer") NsFd peer) throws IOException {
            SEEN.put(
                    "peerServer",
                    Netns.execute(peer, () -> new ServerSocket(8090, 1, InetAddress.getLoopbackAddress())));
            SEEN.put("ino", peer.ino());
        }
    }

    @Test
    void aSocketLeftInAFurtherNamespaceIsReportedNamingIt() throws IOException {
        EngineExecutionResults results = Kit.run(LeavesASocketInAPeer.class);
        long ino = (Long) Kit.get(SEEN, "ino");
        try {
            results.testEvents()
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(
                                    test("listensInThePeer"),
                                    finishedWithFailure(message(m -> m.contains("a socket of listensInThePeer(NsFd)")
                                            && m.contains("namespace \"peer\" net:[" + ino + "]")
                                            && m.contains("listening on 127.0.0.1:8090")))));
        } finally {
            ((ServerSocket) SEEN.remove("peerServer")).close();
        }
    }

    @Test
    void socketsThatCanStillCarryTrafficAreReportedWithTheirAddresses() throws IOException {
        EngineExecutionResults results = Kit.run(LeavesSockets.class);
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("leavesAListener"),
                                finishedWithFailure(message(m -> m.contains("a socket of leavesAListener()")
                                        && m.contains("listening on 127.0.0.1:8080")))))
                .haveExactly(
                        1,
                        event(
                                test("leavesAConnection"),
                                finishedWithFailure(message(m -> m.contains("2 sockets of leavesAConnection()")
                                        && m.contains("connected 127.0.0.1:8081 -> 127.0.0.1:")
                                        && m.contains(" -> 127.0.0.1:8081")))))
                .haveExactly(1, event(test("dropsAClientWhosePeerIsGone"), finishedSuccessfully()));
        for (String each : List.of("server", "client", "accepted", "halfClosed")) {
            if (SEEN.remove(each) instanceof java.io.Closeable c) {
                c.close();
            }
        }
    }

    /** OkHttp's default client, three tests in a row: the first test's namespace keeps OkHttp's task runner. */
    @TransientNetns
    public static class OkHttpDefaultClient {
        @Test
        void call() throws IOException {
            try (MockWebServer server = new MockWebServer()) {
                server.enqueue(new MockResponse.Builder().body("hi").build());
                server.start(8080);
                OkHttpClient client = new OkHttpClient();
                try (Response response = client.newCall(
                                new Request.Builder().url(server.url("/")).build())
                        .execute()) {
                    assertThat(response.body().string()).isEqualTo("hi");
                }
            }
        }
    }

    @Test
    void okHttpsTaskRunnerBornInATestIsNamedToThatTest() {
        // a JVM of its own: OkHttp's task runner is started once per JVM
        String output = Kit.runInChildJvm(OkHttpDefaultClient.class);
        assertThat(output).contains("TEST call(): SUCCESSFUL");
        assertThat(output)
                .containsPattern(
                        "ENTRY \\{jnetns.leaks=thread 'OkHttp [^']*' \\(#\\d+, tid \\d+\\).* of a JVM-wide pool was"
                                + " started inside its namespace net:\\[\\d+] by call\\(\\)")
                .contains("fastFallback(false)");
    }

    static List<String> entries(EngineExecutionResults results) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getPayload(ReportEntry.class)
                        .orElseThrow()
                        .getKeyValuePairs()
                        .toString())
                .toList();
    }
}
