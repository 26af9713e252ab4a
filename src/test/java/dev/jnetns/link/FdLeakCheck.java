package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import java.io.File;
import java.util.Arrays;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the link tests: counts this process's open descriptors before and after the class's work and asserts
 * that none leaked (netlink sockets, namespace handles, tap descriptors, child-process pipes).
 */
abstract class FdLeakCheck {
    private static TreeSet<String> before;

    static TreeSet<String> openFds() {
        String[] names = new File("/proc/self/fd").list();
        return new TreeSet<>(Arrays.asList(names == null ? new String[0] : names));
    }

    @BeforeAll
    static void countFds() {
        // warm up what opens descriptors once per JVM (JNA, the worker pool, process spawning)
        try (NsFd ns = Netns.newTransient(); Rtnl rtnl = Rtnl.open(ns)) {
            rtnl.links();
            Ip.linkNames(ns);
            // the JDK keeps one socket open for good after its first DatagramSocket (a lazily made dummy)
            Netns.execute(ns, () -> {
                try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
                    s.send(new java.net.DatagramPacket(new byte[1], 1,
                            java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 9));
                }
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        before = openFds();
    }

    @AfterAll
    static void noFdLeaked() {
        TreeSet<String> after = openFds();
        TreeSet<String> leaked = new TreeSet<>(after);
        leaked.removeAll(before);
        StringBuilder detail = new StringBuilder();
        for (String fd : leaked) {
            try {
                detail.append(fd).append(" -> ")
                        .append(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd", fd)))
                        .append('\n');
            } catch (Exception e) {
                detail.append(fd).append(" (gone)\n");
            }
        }
        assertThat(after.size()).as("open descriptors after the class; new ones:\n" + detail).isEqualTo(before.size());
    }
}
