package dev.jnetns.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.Rtnl;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A leak check as an extension ({@code @ExtendWith(NoFdLeaks.class)}): compares this process's open descriptors
 * before and after the class's work and fails if any leaked (netlink sockets, namespace handles, tap
 * descriptors, child-process pipes) or vanished.
 *
 * <p>Every descriptor that is not a namespace must match exactly, by number and target. Namespace descriptors
 * must match in number too, except where the library keeps fresh namespaces ready in the background: their
 * count moves by up to its depth on its own. A leaked {@code Rtnl} still shows, as its socket.
 */
public final class NoFdLeaks implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(NoFdLeaks.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        warmUp();
        context.getStore(STORE).put("before", settled());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) {
        Map<String, String> before = context.getStore(STORE).remove("before", Map.class);
        assertSameAs(before, "the class");
    }

    /** Opens, once per JVM, what keeps descriptors for good: JNA, the worker pool, process spawning, and the
     * JDK's socket after its first {@code DatagramSocket}. */
    private static void warmUp() throws Exception {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            rtnl.links();
            Netns.execute(ns, () -> {
                Process p = new ProcessBuilder("true").start();
                p.getOutputStream().close();
                try (InputStream out = p.getInputStream();
                        InputStream err = p.getErrorStream()) {
                    out.transferTo(java.io.OutputStream.nullOutputStream());
                    err.transferTo(java.io.OutputStream.nullOutputStream());
                }
                p.waitFor(20, TimeUnit.SECONDS);
                try (DatagramSocket s = new DatagramSocket()) {
                    s.send(new DatagramPacket(new byte[1], 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 9));
                }
            });
        }
    }

    /** Descriptor number to what it refers to ({@code socket:[...]}, {@code pipe:[...]}, {@code net:[...]}). */
    static Map<String, String> openFds() {
        // while the library's preparing thread is not making a namespace, so that every descriptor it holds is
        // marked as its own (it runs at SCHED_IDLE: on a busy machine it may wait long with one just opened)
        return Eye.whileSupplyIsHome(NoFdLeaks::scanFds);
    }

    private static Map<String, String> scanFds() {
        Map<String, String> out = new TreeMap<>();
        String[] names = new File("/proc/self/fd").list();
        for (String fd : names == null ? new String[0] : names) {
            try {
                // a file deleted meanwhile (a concurrent build cleaning target/) changes its link's text
                String target = Files.readSymbolicLink(Path.of("/proc/self/fd", fd))
                        .toString()
                        .replaceFirst(" \\(deleted\\)$", "");
                out.put(fd, Eye.markPreparedSpare(fd, target));
            } catch (IOException gone) {
                // the directory's own descriptor, closed by now
            }
        }
        return out;
    }

    private static int preparedDepth() {
        // a namespace, its spare socket and its two socket counters each
        return 4 * Integer.getInteger(Netns.PREPARED_PROPERTY, 2);
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

    /** A snapshot taken twice in a row alike, so that a file another JVM thread has open for a moment is out. */
    public static Map<String, String> settled() {
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

    /**
     * Fails unless the descriptors now match {@code before} (a {@link #settled()} snapshot), looking again for a
     * while: the JVM's own threads open files for a moment (cgroup limits, class files).
     */
    public static void assertSameAs(Map<String, String> before, String what) {
        Map<String, String> after = null;
        List<String> opened = null;
        List<String> closed = null;
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
                .as("descriptors (not namespaces) left open by %s", what)
                .isEmpty();
        assertThat(closed)
                .as("descriptors (not namespaces) that were open before %s and are gone", what)
                .isEmpty();
        int slack = preparedDepth();
        assertThat(of(after, true).size())
                .as("namespace descriptors after %s (before: %s, after: %s)", what, of(before, true), of(after, true))
                .isBetween(of(before, true).size() - slack, of(before, true).size() + slack);
    }
}
