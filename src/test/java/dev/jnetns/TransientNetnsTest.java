package dev.jnetns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.testing.Eye;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/** A transient namespace is new and not entered; after close no thread is left inside. */
@Timeout(60)
@Isolated // fd, thread and pool checks see the whole JVM: nothing else may run meanwhile
class TransientNetnsTest {

    @Test
    void newTransientHasNewInodeAndLeavesCallerWhereItWas() {
        long before = Eye.threadIno();
        long childBefore = Eye.childIno();
        try (NsFd ns = Netns.newTransient()) {
            assertThat(ns.isOpen()).isTrue();
            assertThat(ns.ino()).isNotEqualTo(before);
            assertThat(Eye.threadIno()).as("caller after newTransient").isEqualTo(before);
            assertThat(Eye.childIno())
                    .as("a child of the caller")
                    .isEqualTo(childBefore)
                    .isEqualTo(before);
            // the handle's inode is the one the kernel shows for its descriptor
            assertThat(Eye.fdsPointingTo(ns.ino())).isEqualTo(1);
            // created, not entered: no thread of the JVM is inside
            assertThat(Eye.threadsIn(ns.ino())).isEmpty();
        }
        assertThat(Eye.threadIno()).isEqualTo(before);
    }

    @Test
    void everyTransientNamespaceIsDifferent() {
        List<NsFd> handles = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                handles.add(Netns.newTransient());
            }
            assertThat(handles.stream().map(NsFd::ino).distinct()).hasSize(5);
            assertThat(handles).doesNotHaveDuplicates();
        } finally {
            handles.forEach(NsFd::close);
        }
    }

    @Test
    void afterCloseNoThreadIsInTheClosedNamespace() throws Exception {
        dev.jnetns.testing.Capabilities.assumeThreadsReturn(); // it moves a thread with Netns.enter
        long ino;
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try (NsFd ns = Netns.newTransient();
                NsFd other = Netns.newTransient()) {
            ino = ns.ino();
            // use it every way there is: execute (concurrently, nested), enter on a platform thread
            List<Future<Long>> seen = new ArrayList<>();
            CountDownLatch together = new CountDownLatch(4);
            for (int i = 0; i < 4; i++) {
                seen.add(callers.submit(() -> Netns.execute(ns, () -> {
                    together.countDown();
                    together.await(10, TimeUnit.SECONDS);
                    return Eye.threadIno();
                })));
            }
            for (Future<Long> f : seen) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(ino);
            }
            Netns.execute(
                    other,
                    () -> Netns.execute(ns, () -> {
                        assertThat(Eye.threadIno()).isEqualTo(ino);
                    }));
            long entered = Eye.onNewThread("enterer", () -> {
                try (EnteredNetns e = Netns.enter(ns)) {
                    return Eye.threadIno();
                }
            });
            assertThat(entered).isEqualTo(ino);
            assertThat(Eye.threadsIn(ino))
                    .as("threads inside while the handle is open")
                    .isEmpty();
        } finally {
            callers.shutdownNow();
        }
        assertThat(Eye.threadsIn(ino)).as("threads inside after close").isEmpty();
        assertThat(Eye.fdsPointingTo(ino)).as("descriptors on it after close").isZero();
    }

    @Test
    void theScanSeesAThreadLeftInside() throws Exception {
        // the eye used above can fail: a thread started inside inherits the namespace and shows up. It is
        // matched by tid: until a new thread has named itself, /proc shows its creator's name (a jnetns worker).
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        AtomicLong leftTid = new AtomicLong();
        Thread[] left = new Thread[1];
        long ino;
        try (NsFd ns = Netns.newTransient()) {
            ino = ns.ino();
            Netns.execute(ns, () -> {
                left[0] = new Thread(
                        () -> {
                            leftTid.set(Eye.tid());
                            running.countDown();
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "left-inside");
                left[0].start();
                running.await(10, TimeUnit.SECONDS);
            });
        }
        try {
            assertThat(Eye.threadsIn(ino)).singleElement().asString().startsWith(leftTid.get() + " ");
        } finally {
            release.countDown();
            left[0].join(10_000);
        }
        assertThat(Eye.threadsInAfterJoin(Set.of(ino))).isEmpty();
    }
}
