package dev.jnetns.assertj;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.Rtnl;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the assertion tests: the class's work, passing and failing assertions alike, leaves no descriptor
 * open. Everything but namespace descriptors must match exactly (as a multiset of link targets); namespace
 * descriptors may move by the depth of the namespaces the library prepares in the background, when it does.
 */
abstract class FdCheck {
    private static List<String> before;

    /** What every open descriptor points to ({@code socket:[...]}, {@code net:[...]}, a path), sorted. */
    static List<String> fdTargets() {
        // while the library's preparing thread is not making a namespace, so that every descriptor it holds is
        // marked as its own (it runs at SCHED_IDLE: on a busy machine it may wait long with one just opened)
        return dev.jnetns.internal.PreparedNamespaces.shared().whileHome(FdCheck::scanTargets);
    }

    private static List<String> scanTargets() {
        List<String> out = new ArrayList<>();
        String[] names = new File("/proc/self/fd").list();
        for (String fd : names == null ? new String[0] : names) {
            try {
                out.add(dev.jnetns.Eye.markPreparedSpare(
                        fd,
                        Files.readSymbolicLink(Path.of("/proc/self/fd", fd))
                                .toString()
                                .replaceFirst(" \\(deleted\\)$", "")));
            } catch (IOException gone) {
                // the listing's own descriptor, closed by now
            }
        }
        Collections.sort(out);
        return out;
    }

    static List<String> nonNamespaces(List<String> targets) {
        List<String> out = new ArrayList<>(targets);
        out.removeIf(t -> t.startsWith("net:["));
        return out;
    }

    static int namespaces(List<String> targets) {
        return targets.size() - nonNamespaces(targets).size();
    }

    static int preparedDepth() {
        try {
            Class.forName("dev.jnetns.internal.PreparedNamespaces");
            return 2 * Integer.getInteger("jnetns.prepared", 2); // a namespace and its spare socket each
        } catch (ClassNotFoundException e) {
            return 0;
        }
    }

    /** Two equal snapshots in a row, so that a file another JVM thread holds for a moment is left out. */
    static List<String> settled() {
        List<String> last = fdTargets();
        for (int i = 0; i < 20; i++) {
            pause();
            List<String> now = fdTargets();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** Fails unless the descriptors now match {@code earlier} (looking again for a while: JVM threads come and go). */
    static void assertSameFdsAs(List<String> earlier, String what) {
        List<String> after = settled();
        for (int attempt = 0; attempt < 20 && !nonNamespaces(after).equals(nonNamespaces(earlier)); attempt++) {
            pause();
            after = settled();
        }
        assertThat(nonNamespaces(after))
                .as("descriptors (not namespaces) after %s", what)
                .isEqualTo(nonNamespaces(earlier));
        int slack = preparedDepth();
        assertThat(namespaces(after))
                .as(
                        "namespace descriptors after %s (before: %s, after: %s)",
                        what, namespaces(earlier), namespaces(after))
                .isBetween(namespaces(earlier) - slack, namespaces(earlier) + slack);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @BeforeAll
    static void countFds() {
        // warm up what opens descriptors once per JVM (JNA, the worker pool)
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            rtnl.links();
        }
        before = settled();
    }

    @AfterAll
    static void noFdLeaked() {
        assertSameFdsAs(before, "the class");
    }
}
