package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the link tests: compares this process's open descriptors before and after the class's work and
 * asserts that none leaked (netlink sockets, namespace handles, tap descriptors, child-process pipes).
 *
 * <p>Every descriptor that is not a namespace must match exactly. Namespace descriptors must match exactly too,
 * except where the library keeps fresh namespaces ready in the background ({@code PreparedNamespaces}, when
 * present): their number moves by up to its depth on its own. A leaked {@link Rtnl} would still show, as its
 * socket.
 */
abstract class FdLeakCheck {
    private static Map<String, String> before;

    /** Descriptor number to what it refers to ({@code socket:[...]}, {@code pipe:[...]}, {@code net:[...]}). */
    static Map<String, String> openFds() {
        // while the library's preparing thread is not making a namespace, so that every descriptor it holds is
        // marked as its own (it runs at SCHED_IDLE: on a busy machine it may wait long with one just opened)
        return dev.jnetns.internal.PreparedNamespaces.shared().whileHome(FdLeakCheck::scanFds);
    }

    private static Map<String, String> scanFds() {
        Map<String, String> out = new TreeMap<>();
        String[] names = new File("/proc/self/fd").list();
        for (String fd : names == null ? new String[0] : names) {
            try {
                out.put(
                        fd,
                        dev.jnetns.Eye.markPreparedSpare(
                                fd,
                                Files.readSymbolicLink(Path.of("/proc/self/fd", fd))
                                        .toString()));
            } catch (IOException gone) {
                // the directory's own descriptor, closed by now
            }
        }
        return out;
    }

    private static int preparedDepth() {
        try {
            Class.forName("dev.jnetns.internal.PreparedNamespaces");
            return 2 * Integer.getInteger("jnetns.prepared", 2); // a namespace and its spare socket each
        } catch (ClassNotFoundException e) {
            return 0;
        }
    }

    private static List<String> of(Map<String, String> fds, boolean namespaces) {
        List<String> out = new ArrayList<>();
        fds.forEach((fd, target) -> {
            if (target.startsWith("net:[") == namespaces) {
                out.add(fd + " -> " + target);
            }
        });
        return out;
    }

    @BeforeAll
    static void countFds() {
        // warm up what opens descriptors once per JVM (JNA, the worker pool, process spawning, and the JDK,
        // which keeps one socket open for good after its first DatagramSocket)
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            rtnl.links();
            Ip.linkNames(ns);
            Netns.execute(ns, () -> {
                try (DatagramSocket s = new DatagramSocket()) {
                    s.send(new DatagramPacket(new byte[1], 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 9));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        before = settled();
    }

    /** A snapshot taken twice in a row alike, so that a file another JVM thread has open for a moment is out. */
    private static Map<String, String> settled() {
        Map<String, String> last = openFds();
        for (int i = 0; i < 20; i++) {
            pause();
            Map<String, String> now = openFds();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterAll
    static void noFdLeaked() {
        Map<String, String> after = null;
        List<String> opened = null;
        List<String> closed = null;
        // the JVM's own threads open files for a moment (cgroup limits, class files): look again a few times
        for (int attempt = 0; attempt < 20; attempt++) {
            after = settled();
            opened = new ArrayList<>(of(after, false));
            opened.removeAll(of(before, false));
            closed = new ArrayList<>(of(before, false));
            closed.removeAll(of(after, false));
            if (opened.isEmpty() && closed.isEmpty()) {
                break;
            }
            pause();
        }
        assertThat(opened)
                .as("descriptors (not namespaces) left open by the class")
                .isEmpty();
        assertThat(closed)
                .as("descriptors (not namespaces) that were open before the class and are gone")
                .isEmpty();
        int slack = preparedDepth();
        assertThat(of(after, true).size())
                .as("namespace descriptors after the class (before: %s, after: %s)", of(before, true), of(after, true))
                .isBetween(of(before, true).size() - slack, of(before, true).size() + slack);
    }
}
