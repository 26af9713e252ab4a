package dev.jnetns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jnetns.testing.Eye;
import dev.jnetns.testing.NamedNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** The handle: opening handles, rejecting what is not a network namespace, identity, close. */
@Timeout(60)
@Isolated // fd, thread and pool checks see the whole JVM: nothing else may run meanwhile
class NsFdTest {
    private static final int O_CLOEXEC_OCTAL = 02000000;

    @Test
    void currentIsTheCallersNamespace() {
        try (NsFd current = NsFd.current()) {
            assertThat(current.ino()).isEqualTo(Eye.threadIno());
            assertThat(Eye.fdTargets()).contains("net:[" + current.ino() + "]");
        }
    }

    @Test
    void equalityIsByNamespaceNotByDescriptor() {
        try (NsFd a = NsFd.current();
                NsFd b = NsFd.current();
                NsFd c = NsFd.ofPid(ProcessHandle.current().pid());
                NsFd other = Netns.newTransient()) {
            assertThat(a.fd()).isNotEqualTo(b.fd());
            assertThat(a).isEqualTo(b).isEqualTo(c).hasSameHashCodeAs(b);
            assertThat(a.dev()).isEqualTo(b.dev()).isEqualTo(other.dev());
            assertThat(other).isNotEqualTo(a);
            assertThat(other.ino()).isNotEqualTo(a.ino());
            assertThat(a).isNotEqualTo("net:[" + a.ino() + "]").isNotEqualTo(null);
            b.close();
            assertThat(a).as("equality survives close").isEqualTo(b);
        }
    }

    @Test
    void handleBasicsAndClose() {
        NsFd ns = Netns.newTransient();
        long ino = ns.ino();
        int fd = ns.fd();
        assertThat(fd).isGreaterThan(2);
        assertThat(ns.isOpen()).isTrue();
        assertThat(Eye.fdTargets()).contains("net:[" + ino + "]");
        assertThat(Eye.inoOfLink(Path.of("/proc/self/fd/" + fd))).isEqualTo(ino);
        assertThat(ns).hasToString("net:[" + ino + "] (fd " + fd + ")");
        assertThat(Eye.fdFlags(fd) & O_CLOEXEC_OCTAL).as("O_CLOEXEC").isNotZero();

        ns.close();
        assertThat(ns.isOpen()).isFalse();
        assertThat(ns).hasToString("net:[" + ino + "] (closed)");
        assertThat(ns.ino()).as("ino stays valid").isEqualTo(ino);
        assertThat(Eye.fdsPointingTo(ino)).isZero();
        ns.close(); // idempotent
        assertThat(ns.isOpen()).isFalse();
        NetnsException e = catchThrowableOfType(ns::fd, NetnsException.class);
        assertThat(e).hasMessageContaining("closed").hasMessageContaining("net:[" + ino + "]");
        assertThat(e.errno()).isZero();
    }

    @Test
    void aDuplicateOutlivesTheOriginalAndClosesOnItsOwn() {
        NsFd original = Netns.newTransient();
        long ino = original.ino();
        NsFd copy = original.duplicate();
        try {
            assertThat(copy.fd()).isNotEqualTo(original.fd());
            assertThat(copy).isEqualTo(original);
            assertThat(Eye.inoOfLink(Path.of("/proc/self/fd/" + copy.fd()))).isEqualTo(ino);
            assertThat(Eye.fdFlags(copy.fd()) & O_CLOEXEC_OCTAL).as("O_CLOEXEC").isNotZero();

            original.close();
            assertThat(Eye.fdsPointingTo(ino))
                    .as("the duplicate still holds it")
                    .isEqualTo(1);
            assertThat(Netns.execute(copy, Eye::threadIno)).isEqualTo(ino);
        } finally {
            original.close();
            copy.close();
        }
        assertThat(Eye.fdsPointingTo(ino)).isZero();
        NetnsException e = catchThrowableOfType(copy::duplicate, NetnsException.class);
        assertThat(e).hasMessageContaining("NsFd.duplicate").hasMessageContaining("net:[" + ino + "]");
    }

    @Test
    void everyHandleIsCloseOnExec() throws Exception {
        NamedNamespaces.assumeAvailable();
        String name = Netns.newNamed();
        try (NsFd current = NsFd.current();
                NsFd byPid = NsFd.ofPid(ProcessHandle.current().pid());
                NsFd byPath = NsFd.ofPath("/proc/thread-self/ns/net");
                NsFd transientNs = Netns.newTransient();
                NsFd named = NsFd.ofName(name)) {
            for (NsFd h : new NsFd[] {current, byPid, byPath, transientNs, named}) {
                assertThat(Eye.fdFlags(h.fd()) & O_CLOEXEC_OCTAL).as("%s", h).isNotZero();
            }
        } finally {
            Netns.deleteNamed(name);
        }
    }

    @Test
    void ofThreadAndOfPid() throws Exception {
        long pid = ProcessHandle.current().pid();
        try (NsFd home = NsFd.current();
                NsFd byPid = NsFd.ofPid(pid)) {
            assertThat(byPid).as("the main thread is home").isEqualTo(home);
        }
        try (NsFd ns = Netns.newTransient()) {
            AtomicLong tid = new AtomicLong();
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            Thread caller = new Thread(
                    () -> Netns.execute(ns, () -> {
                        tid.set(Eye.tid());
                        inside.countDown();
                        try {
                            done.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }),
                    "of-thread-caller");
            caller.start();
            try {
                assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
                // opened from this (host) thread while the worker is inside
                try (NsFd byThread = NsFd.ofThread(pid, tid.get())) {
                    assertThat(byThread).isEqualTo(ns);
                    assertThat(byThread.ino()).isEqualTo(ns.ino());
                }
                try (NsFd myThread = NsFd.ofThread(pid, Eye.tid())) {
                    assertThat(myThread.ino()).isEqualTo(Eye.threadIno());
                }
            } finally {
                done.countDown();
                caller.join(30_000);
            }
        }
        assertThatThrownBy(() -> NsFd.ofPid(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NsFd.ofThread(pid, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NsFd.ofPath("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofPathRejectsARegularFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-namespace"), "hello");
        for (String path : new String[] {file.toString(), "/etc/hostname"}) {
            if (!Files.exists(Path.of(path))) {
                continue;
            }
            List<String> fds = Eye.fdTargets();
            NetnsException e = catchThrowableOfType(() -> NsFd.ofPath(path), NetnsException.class);
            assertThat(e).as(path).isNotNull();
            assertThat(e.errnoName()).isEqualTo("EINVAL");
            assertThat(e.operation()).isEqualTo("open(" + path + ")");
            assertThat(e.getMessage())
                    .contains(path)
                    .contains("EINVAL (")
                    .contains("not a namespace file (a regular file)");
            assertThat(Eye.openedSince(fds)).as("no descriptor left open").isEmpty();
        }
        // a directory is not one either
        List<String> fds = Eye.fdTargets();
        NetnsException e = catchThrowableOfType(() -> NsFd.ofPath(dir.toString()), NetnsException.class);
        assertThat(e.getMessage()).contains("not a namespace file (a directory)");
        assertThat(Eye.openedSince(fds)).isEmpty();
    }

    /** A FIFO would block open(2) for ever (no writer), uninterruptibly: it is refused without being opened. */
    @Test
    void ofPathRefusesAFifoOrADeviceWithoutOpeningIt(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("a-fifo");
        assertThat(Eye.run("mkfifo", fifo.toString()).exit).isZero();
        for (String path : new String[] {fifo.toString(), "/dev/null"}) {
            List<String> fds = Eye.fdTargets();
            NetnsException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(10),
                    () -> catchThrowableOfType(() -> NsFd.ofPath(path), NetnsException.class),
                    "NsFd.ofPath(" + path + ") must not block");
            assertThat(e).as(path).isNotNull();
            assertThat(e.errnoName()).isEqualTo("EINVAL");
            assertThat(e.getMessage())
                    .contains("open(" + path + ")")
                    .contains(path.equals("/dev/null") ? "a character device" : "a FIFO");
            assertThat(Eye.openedSince(fds)).as("no descriptor left open").isEmpty();
        }
    }

    @Test
    void ofPathRejectsOtherKindsOfNamespace() {
        for (String kind : new String[] {"mnt", "uts", "ipc", "pid", "user", "cgroup"}) {
            String path = "/proc/self/ns/" + kind;
            if (!Files.exists(Path.of(path))) {
                continue;
            }
            List<String> fds = Eye.fdTargets();
            NetnsException e = catchThrowableOfType(() -> NsFd.ofPath(path), NetnsException.class);
            assertThat(e).as(path).isNotNull();
            assertThat(e.getMessage()).contains(path).contains("a " + kind + " namespace, not a network namespace");
            assertThat(e.errnoName()).isEqualTo("EINVAL");
            assertThat(Eye.openedSince(fds)).as("no descriptor left open").isEmpty();
        }
    }

    @Test
    void ofPathOnAMissingFileNamesENOENT() {
        List<String> fds = Eye.fdTargets();
        NetnsException e = catchThrowableOfType(() -> NsFd.ofPath("/nonexistent"), NetnsException.class);
        assertThat(e.errnoName()).isEqualTo("ENOENT");
        assertThat(e.getMessage()).isEqualTo("open(/nonexistent): ENOENT (No such file or directory)");
        NetnsException byName = catchThrowableOfType(() -> NsFd.ofName("jnetns-no-such-ns"), NetnsException.class);
        assertThat(byName.errnoName()).isEqualTo("ENOENT");
        assertThat(byName.getMessage()).contains("/run/netns/jnetns-no-such-ns");
        assertThat(Eye.openedSince(fds)).isEmpty();
    }
}
