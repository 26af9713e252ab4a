package dev.jnetns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.internal.sys.LibC;
import dev.jnetns.testing.Eye;
import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Namespaces made ahead: fresh, handed out once, entered by nothing, and gone when the supply is idle. */
@Timeout(60)
class PreparedNamespacesTest {
    /** The supplies this test made; each must be stopped and drained before the test ends. */
    private final List<PreparedNamespaces> supplies = new ArrayList<>();

    /**
     * A private supply for this test, with a short keep-alive: its thread (also named {@code jnetns-prepare}) and
     * what it prepares are invisible to the shared supply's hooks, so a late refill after the test would look
     * like a leaked descriptor or thread to the test classes after it.
     */
    private PreparedNamespaces supply(int depth, long keepAliveMillis) {
        PreparedNamespaces supply = new PreparedNamespaces(depth, keepAliveMillis);
        supplies.add(supply);
        return supply;
    }

    /** Waits (bounded) until each supply of the test has drained and its thread has ended. */
    @AfterEach
    void retireSupplies() throws Exception {
        for (PreparedNamespaces supply : supplies) {
            boolean retired = Eye.await(supply::isIdle, 20);
            assertThat(retired)
                    .as("the test's supply drained (%d ready) and its thread ended", supply.readyCount())
                    .isTrue();
            assertThat(descriptorsHeldBy(supply))
                    .as("descriptors the test's supply still holds")
                    .isEmpty();
        }
    }

    private static List<Integer> descriptorsHeldBy(PreparedNamespaces supply) {
        List<Integer> held = new ArrayList<>();
        String[] fds = new File("/proc/self/fd").list();
        for (String fd : fds == null ? new String[0] : fds) {
            if (supply.holdsReady(Integer.parseInt(fd))) {
                held.add(Integer.parseInt(fd));
            }
        }
        return held;
    }

    private static FreshNetns takeWhenReady(PreparedNamespaces supply) throws InterruptedException {
        for (int i = 0; i < 2000; i++) {
            FreshNetns fresh = supply.take();
            if (fresh != null) {
                return fresh;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("nothing was prepared in 2 s");
    }

    @Test
    void eachIsFreshWithLoopbackUpAndHandedOutOnce() throws Exception {
        PreparedNamespaces supply = supply(2, 100);
        long home = Eye.threadIno();
        List<NsFd> taken = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                FreshNetns fresh = takeWhenReady(supply);
                NsFd ns = NsFd.ofPath("/proc/self/fd/" + fresh.nsFd());
                taken.add(ns); // held open, so no inode number can be reused meanwhile
                try {
                    assertThat(new long[] {fresh.dev(), fresh.ino()})
                            .as("the identity its maker gave it")
                            .containsExactly(ns.dev(), ns.ino());
                    assertThat(fresh.rtnlSocket())
                            .as("a spare rtnetlink socket")
                            .isNotNegative();
                    assertThat(Eye.socketNetnsIno(fresh.rtnlSocket()))
                            .as("the spare socket's namespace")
                            .isEqualTo(ns.ino());
                    assertThat(Eye.threadsIn(Set.of(ns.ino())))
                            .as("threads inside a prepared namespace")
                            .isEmpty();
                } finally {
                    fresh.close();
                }
            }
            Set<Long> inos = new HashSet<>();
            taken.forEach(ns -> inos.add(ns.ino()));
            assertThat(inos).hasSize(20).doesNotContain(home);
            String links = Netns.execute(taken.get(0), () -> Eye.run("ip", "-j", "link", "show").output);
            assertThat(links).contains("\"ifname\":\"lo\"").contains("\"operstate\":\"UNKNOWN\"");
            assertThat(links.split("\"ifname\"")).hasSize(2);
        } finally {
            taken.forEach(NsFd::close);
        }
        assertThat(Eye.threadIno()).isEqualTo(home);
    }

    @Test
    void eachComesWithAViewOfItsOwnSocketCounters() throws Exception {
        PreparedNamespaces supply = supply(1, 100);
        FreshNetns fresh = takeWhenReady(supply);
        try {
            SocketViewChecks.assertViewCountsItsOwnNamespacesSockets(fresh);
        } finally {
            fresh.close();
        }
    }

    @Test
    void anIdleSupplyClosesWhatItPreparedAndItsThreadEnds() throws Exception {
        PreparedNamespaces supply = supply(3, 300);
        takeWhenReady(supply).close();
        Thread filler = supply.preparingThread();
        assertThat(filler).as("its preparing thread").isNotNull();
        assertThat(Eye.await(() -> supply.readyCount() == 3, 10)).isTrue();
        assertThat(Eye.await(() -> supply.readyCount() == 0, 10))
                .as("drained after the keep-alive")
                .isTrue();
        filler.join(10_000);
        assertThat(filler.isAlive()).as("%s alive", filler).isFalse();
        assertThat(descriptorsHeldBy(supply)).isEmpty();
    }

    @Test
    void thePreparingThreadRunsOnlyWhenNothingElseWantsTheCpu() throws Exception {
        PreparedNamespaces supply = supply(1, 500);
        takeWhenReady(supply).close();
        List<Integer> policies = new ArrayList<>();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (var task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                try {
                    if (java.nio.file.Files.readString(task.resolve("comm"))
                            .trim()
                            .equals("jnetns-prepare")) {
                        String stat = java.nio.file.Files.readString(task.resolve("stat"));
                        // fields after the ")" closing the name: state is field 3, policy field 41
                        String[] fields =
                                stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        policies.add(Integer.parseInt(fields[41 - 3]));
                    }
                } catch (java.io.IOException ended) {
                    // a thread that ended while we looked
                }
            }
        }
        assertThat(policies)
                .as("scheduling policy of the jnetns-prepare threads")
                .isNotEmpty()
                .containsOnly(LibC.SCHED_IDLE);
    }

    @Test
    void depthZeroTurnsItOff() {
        PreparedNamespaces off = supply(0, 100);
        assertThat(off.take()).isNull();
        assertThat(off.readyCount()).isZero();
        assertThat(off.preparingThread()).as("a preparing thread").isNull();
    }
}
