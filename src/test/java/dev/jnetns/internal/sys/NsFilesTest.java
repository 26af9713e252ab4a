package dev.jnetns.internal.sys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Identifying namespaces: the calling thread's, read from its link's text, agrees with a stat of it. */
class NsFilesTest {
    /** The inode a stat of the thread's link gives (the JDK's own stat, not jnetns'). */
    private static long statIno() throws Exception {
        return (Long) Files.getAttribute(Path.of("/proc/thread-self/ns/net"), "unix:ino");
    }

    @Test
    void currentInoIsWhatAStatOfTheThreadsLinkSaysAtHomeAndInside() throws Exception {
        assertThat(NsFiles.currentIno()).isEqualTo(statIno());
        try (NsFd ns = Netns.newTransient()) {
            long[] inside = Netns.execute(ns, () -> new long[] {NsFiles.currentIno(), statIno()});
            assertThat(inside[0]).isEqualTo(inside[1]).isEqualTo(ns.ino());
            assertThat(inside[0]).isNotEqualTo(NsFiles.currentIno());
        }
    }
}
