package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.jnetns.NsFd;
import dev.jnetns.testing.Eye;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Every phase of every kind of test runs in the same fresh namespace, a new one per test. */
class LifecycleIT {
    /** What a fixture saw: which test, which phase, the namespace by /proc, the NsFd parameter, the thread. */
    record Seen(String test, String phase, long procIno, long paramIno, String thread) {}

    static final Queue<Seen> SEEN = new ConcurrentLinkedQueue<>();
    /** Holds every test's namespace open, so that the kernel cannot reuse an inode number during the run. */
    static final Queue<FileInputStream> KEEP = new ConcurrentLinkedQueue<>();

    static void record(TestInfo info, String phase, NsFd ns) {
        if (phase.equals("beforeEach")) {
            List<String> inside = Eye.threadNamesIn(Eye.threadIno());
            if (inside.size() != 1) {
                SEEN.add(new Seen(info.getDisplayName(), "others inside: " + inside, 0, 0, ""));
            }
            try {
                KEEP.add(new FileInputStream("/proc/thread-self/ns/net"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String test = info.getTestMethod().map(m -> m.getName()).orElse("?") + " " + info.getDisplayName();
        SEEN.add(new Seen(
                test,
                phase,
                Eye.threadIno(),
                ns == null ? -1 : ns.ino(),
                Thread.currentThread().getName()));
    }

    @TransientNetns
    static class EveryKindOfTest {
        @BeforeEach
        void before(TestInfo info, NsFd ns) {
            record(info, "beforeEach", ns);
        }

        @Test
        void plain(TestInfo info, NsFd ns) {
            record(info, "test", ns);
        }

        @Test
        void another(TestInfo info, NsFd ns) {
            record(info, "test", ns);
        }

        @ParameterizedTest
        @ValueSource(strings = {"a", "b", "c"})
        void parameterized(String value, TestInfo info, NsFd ns) {
            record(info, "test", ns);
        }

        @RepeatedTest(3)
        void repeated(TestInfo info, NsFd ns) {
            record(info, "test", ns);
        }

        @TestFactory
        Stream<DynamicTest> dynamic(TestInfo info, NsFd ns) {
            record(info, "factory", ns);
            return Stream.of("d1", "d2").map(name -> dynamicTest(name, () -> record(info, "dynamic " + name, ns)));
        }

        @AfterEach
        void after(TestInfo info, NsFd ns) {
            record(info, "afterEach", ns);
        }
    }

    @Test
    void everyPhaseRunsInTheTestsOwnFreshNamespace() throws IOException {
        Kit.run(EveryKindOfTest.class); // warm-up: classes, jars and jnetns' home handle get opened once
        closeKept();
        SEEN.clear();
        long host = Eye.threadIno();
        int fdsBefore = Eye.fdCountBesidesSupply();

        EngineExecutionResults results = Kit.run(EveryKindOfTest.class);

        Kit.assertStatistics(results, stats -> stats.started(10).succeeded(10).failed(0));
        Map<String, List<Seen>> byTest = SEEN.stream().collect(Collectors.groupingBy(Seen::test));
        // plain, another, 3 parameterized, 3 repeated, 1 factory (whose dynamic tests share its namespace)
        assertThat(byTest).hasSize(9);
        for (Map.Entry<String, List<Seen>> test : byTest.entrySet()) {
            List<Seen> seen = test.getValue();
            Set<Long> inos = seen.stream().map(Seen::procIno).collect(Collectors.toSet());
            assertThat(inos)
                    .as("namespaces seen by the phases of %s", test.getKey())
                    .hasSize(1);
            long ino = inos.iterator().next();
            assertThat(ino)
                    .as("%s runs outside the host's namespace", test.getKey())
                    .isNotEqualTo(host);
            assertThat(seen).allSatisfy(s -> {
                assertThat(s.paramIno()).as("NsFd parameter of %s", s).isEqualTo(ino);
                assertThat(s.thread()).as("thread of %s", s).startsWith("jnetns-worker-");
            });
            List<String> phases = seen.stream().map(Seen::phase).collect(Collectors.toList());
            assertThat(phases).startsWith("beforeEach").endsWith("afterEach");
            if (test.getKey().startsWith("dynamic")) {
                assertThat(phases).containsExactly("beforeEach", "factory", "dynamic d1", "dynamic d2", "afterEach");
            } else {
                assertThat(phases).containsExactly("beforeEach", "test", "afterEach");
            }
        }
        Set<Long> perTest = SEEN.stream().map(Seen::procIno).collect(Collectors.toSet());
        assertThat(perTest).as("a fresh namespace for every test").hasSize(byTest.size());
        closeKept();

        assertThat(Eye.threadIno()).isEqualTo(host);
        for (long ino : perTest) {
            assertThat(Eye.threadNamesIn(ino))
                    .as("threads left in net:[%d]", ino)
                    .isEmpty();
            // jnetns' background thread may hold one briefly (see Kit.fdCount): a leak stays
            assertThat(Eye.eventually(() -> Eye.fdsPointingTo(ino) == 0))
                    .as("no descriptor left on net:[%d]: %s", ino, Eye.fdList())
                    .isTrue();
        }
        assertThat(Eye.eventually(() -> Eye.fdCountBesidesSupply() <= fdsBefore))
                .as("descriptors back to %d: %s", fdsBefore, Eye.fdList())
                .isTrue();
    }

    private static void closeKept() throws IOException {
        for (FileInputStream held : KEEP) {
            held.close();
        }
        KEEP.clear();
    }
}
