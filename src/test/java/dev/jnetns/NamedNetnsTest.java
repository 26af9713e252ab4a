package dev.jnetns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jnetns.testing.Eye;
import dev.jnetns.testing.NamedNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Persistent namespaces under /run/netns, as iproute2 sees them. Other builds may use
 * /run/netns at the same time, so the checks are about our own names only.
 */
@Timeout(60)
@Isolated // fd, thread and pool checks see the whole JVM: nothing else may run meanwhile
class NamedNetnsTest {
    private final List<String> created = new ArrayList<>();

    private String uniqueName() {
        String name = String.format("jnetns-t%07x", ThreadLocalRandom.current().nextInt(1 << 28));
        created.add(name);
        return name;
    }

    @AfterEach
    void deleteLeftovers() {
        for (String name : created) {
            if (Files.exists(Path.of(Netns.NAMED_DIR, name))) {
                Netns.deleteNamed(name);
            }
        }
        List<String> listed = Eye.ipNetnsList();
        List<String> mounts = mountsUnder("/run/netns/");
        for (String name : created) {
            assertThat(listed).doesNotContain(name);
            assertThat(mounts).doesNotContain("/run/netns/" + name);
        }
    }

    @Test
    void createListExecDelete() throws Exception {
        NamedNamespaces.assumeAvailable();
        String name = uniqueName();
        long home = Eye.threadIno();
        long ino;
        try (NsFd ns = Netns.newNamed(name)) {
            ino = ns.ino();
            assertThat(ino).isNotEqualTo(home);
            assertThat(Eye.threadIno()).as("the caller is not moved").isEqualTo(home);
            assertThat(Eye.threadsIn(ino)).isEmpty();
            assertThat(Eye.ipNetnsList()).contains(name);
            Eye.Result stat = Eye.run("stat", "-L", "-c", "%i", "/run/netns/" + name);
            assertThat(stat.output.strip()).as("the file's inode").isEqualTo(Long.toString(ino));
            assertThat(mountsUnder("/run/netns/")).contains("/run/netns/" + name);

            Eye.Result link = Eye.run("ip", "netns", "exec", name, "ip", "-j", "link");
            assertThat(link.exit).as("%s", link).isZero();
            assertThat(Eye.ifnames(link.output)).containsExactly("lo");
            assertThat(Eye.flagsOf(link.output, "lo")).contains("UP");
            Eye.Result self = Eye.run("ip", "netns", "exec", name, "readlink", "/proc/self/ns/net");
            assertThat(Eye.parseNetLink(self.output))
                    .as("ip netns exec enters our namespace")
                    .isEqualTo(ino);

            try (NsFd byName = NsFd.ofName(name)) {
                assertThat(byName).isEqualTo(ns);
            }
            assertThat(Netns.execute(ns, Eye::threadIno)).isEqualTo(ino);
        }
        // closing the handle does not delete a named namespace
        assertThat(Eye.ipNetnsList()).contains(name);
        try (NsFd again = NsFd.ofName(name)) {
            assertThat(again.ino()).isEqualTo(ino);
        }

        Netns.deleteNamed(name);
        assertThat(Path.of("/run/netns", name)).doesNotExist();
        assertThat(Eye.ipNetnsList()).doesNotContain(name);
        assertThat(mountsUnder("/run/netns/")).doesNotContain("/run/netns/" + name);
        NetnsException gone = catchThrowableOfType(() -> NsFd.ofName(name), NetnsException.class);
        assertThat(gone.errnoName()).isEqualTo("ENOENT");
        NetnsException twice = catchThrowableOfType(() -> Netns.deleteNamed(name), NetnsException.class);
        assertThat(twice.errnoName()).isEqualTo("ENOENT");
        assertThat(twice.getMessage()).contains("deleteNamed(" + name + ")");
    }

    @Test
    void aHandleOutlivesDelete() {
        NamedNamespaces.assumeAvailable();
        String name = uniqueName();
        try (NsFd ns = Netns.newNamed(name)) {
            Netns.deleteNamed(name);
            assertThat(Eye.ipNetnsList()).doesNotContain(name);
            assertThat(Netns.execute(ns, Eye::threadIno)).isEqualTo(ns.ino());
        }
    }

    @Test
    void duplicateNameGivesEexistAndChangesNothing() {
        NamedNamespaces.assumeAvailable();
        String name = uniqueName();
        try (NsFd first = Netns.newNamed(name)) {
            List<String> fds = Eye.fdTargets();
            NetnsException e = catchThrowableOfType(() -> Netns.newNamed(name), NetnsException.class);
            assertThat(e).isNotNull();
            assertThat(e.errnoName()).isEqualTo("EEXIST");
            assertThat(e.errno()).isEqualTo(17);
            assertThat(e.getMessage()).contains(name).contains("EEXIST (File exists)");
            assertThat(Eye.openedSince(fds)).isEmpty();

            // the first one is untouched: same inode at the same path, still usable, still listed once
            try (NsFd byName = NsFd.ofName(name)) {
                assertThat(byName).isEqualTo(first);
            }
            assertThat(Netns.execute(first, Eye::threadIno)).isEqualTo(first.ino());
            assertThat(Eye.ipNetnsList().stream().filter(name::equals)).hasSize(1);
            assertThat(mountsUnder("/run/netns/").stream().filter(("/run/netns/" + name)::equals))
                    .as("not mounted twice")
                    .hasSize(1);
            Eye.Result link = Eye.run("ip", "netns", "exec", name, "readlink", "/proc/self/ns/net");
            assertThat(Eye.parseNetLink(link.output)).isEqualTo(first.ino());
        } finally {
            Netns.deleteNamed(name);
        }
        assertThat(Eye.ipNetnsList()).doesNotContain(name);
    }

    /** What a process killed between creating the name's file and mounting onto it leaves (as iproute2 does). */
    private static Path placeholder(String name) throws Exception {
        Path file = Path.of(Netns.NAMED_DIR, name);
        Files.createFile(file);
        Files.setPosixFilePermissions(file, java.util.Set.of());
        return file;
    }

    @Test
    void aPlaceholderACrashLeftIsTakenOver() throws Exception {
        NamedNamespaces.assumeAvailable();
        String name = uniqueName();
        placeholder(name);
        assertThat(Eye.run("ip", "netns", "exec", name, "true").exit)
                .as("a placeholder breaks iproute2")
                .isNotZero();

        try (NsFd ns = Netns.newNamed(name)) {
            Eye.Result self = Eye.run("ip", "netns", "exec", name, "readlink", "/proc/self/ns/net");
            assertThat(Eye.parseNetLink(self.output)).isEqualTo(ns.ino());
            Eye.Result link = Eye.run("ip", "netns", "exec", name, "ip", "-j", "link");
            assertThat(Eye.flagsOf(link.output, "lo")).contains("UP");
            assertThat(mountsUnder("/run/netns/").stream().filter(("/run/netns/" + name)::equals))
                    .hasSize(1);
        } finally {
            Netns.deleteNamed(name);
        }
        assertThat(Path.of(Netns.NAMED_DIR, name)).doesNotExist();
    }

    @Test
    void deleteNamedRemovesAPlaceholder() throws Exception {
        NamedNamespaces.assumeAvailable();
        String name = uniqueName();
        Path file = placeholder(name);
        Netns.deleteNamed(name);
        assertThat(file).doesNotExist();
        assertThat(Eye.ipNetnsList()).doesNotContain(name);
    }

    @Test
    void somethingElseUnderTheNameIsNotTakenOver() throws Exception {
        NamedNamespaces.assumeAvailable();
        String name = uniqueName();
        Path dir = Files.createDirectory(Path.of(Netns.NAMED_DIR, name));
        try {
            NetnsException e = catchThrowableOfType(() -> Netns.newNamed(name), NetnsException.class);
            assertThat(e.errnoName()).isEqualTo("EEXIST");
            assertThat(e.getMessage()).contains("newNamed(" + name + ")");
            assertThat(dir).isDirectory();
            assertThat(mountsUnder("/run/netns/")).doesNotContain("/run/netns/" + name);
        } finally {
            Files.delete(dir);
        }
    }

    @Test
    void aNameMountedTwiceIsDeletedWhole() {
        NamedNamespaces.assumeAvailable();
        String name = uniqueName();
        String path = Netns.NAMED_DIR + "/" + name;
        Netns.newNamed(name).close();
        // as a racing `ip netns add` or an older jnetns could leave it
        Eye.Result bind = Eye.run("mount", "--bind", path, path);
        assertThat(bind.exit).as("%s", bind).isZero();
        assertThat(mountsUnder("/run/netns/").stream().filter(path::equals)).hasSize(2);

        Netns.deleteNamed(name);
        assertThat(mountsUnder("/run/netns/")).doesNotContain(path);
        assertThat(Path.of(path)).doesNotExist();
    }

    @Test
    void invalidNamesAreRejected() {
        String tooLong = "x".repeat(256);
        for (String bad : new String[] {"", "a/b", ".", "..", "/", tooLong, "nul\0byte", "new\nline", "esc\u001b[0m"}) {
            assertThatThrownBy(() -> Netns.newNamed(bad))
                    .as("newNamed(%s)", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("namespace name");
            assertThatThrownBy(() -> Netns.deleteNamed(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> NsFd.ofName(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Netns.newNamed(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("name");
        // 255 bytes is the limit; multi-byte characters count as bytes
        assertThatThrownBy(() -> Netns.newNamed("é".repeat(128))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Path.of("/run/netns", "a")).doesNotExist();
    }

    @Test
    void longestValidNameWorks() {
        NamedNamespaces.assumeAvailable();
        String name = uniqueName() + "x".repeat(255 - 15);
        created.set(created.size() - 1, name);
        assertThat(name.length()).isEqualTo(255);
        try (NsFd ns = Netns.newNamed(name)) {
            assertThat(Eye.ipNetnsList()).contains(name);
        } finally {
            Netns.deleteNamed(name);
        }
    }

    @Test
    void randomName() {
        NamedNamespaces.assumeAvailable();
        String name = Netns.newNamed();
        created.add(name);
        try {
            assertThat(name).matches("jnetns-[0-9a-f]{8}");
            assertThat(Eye.ipNetnsList()).contains(name);
            try (NsFd ns = NsFd.ofName(name)) {
                assertThat(Netns.execute(ns, Eye::threadIno)).isEqualTo(ns.ino());
            }
            String another = Netns.newNamed();
            created.add(another);
            assertThat(another).isNotEqualTo(name);
            Netns.deleteNamed(another);
        } finally {
            Netns.deleteNamed(name);
        }
        assertThat(Eye.ipNetnsList()).doesNotContain(name);
    }

    @Test
    void runNetnsIsASharedMountPointAsWithIproute2() throws Exception {
        NamedNamespaces.assumeAvailable();
        String name = uniqueName();
        try (NsFd ns = Netns.newNamed(name)) {
            List<String> dirMounts = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 6 && f[4].equals("/run/netns")) {
                    dirMounts.add(line);
                }
            }
            assertThat(dirMounts).isNotEmpty();
            // the topmost mount of the directory (the last listed) propagates: mounts in it are seen everywhere
            assertThat(dirMounts.get(dirMounts.size() - 1)).contains(" shared:");
        } finally {
            Netns.deleteNamed(name);
        }
    }

    /** Mount points under {@code prefix}, from this process's mountinfo (field 5). */
    private static List<String> mountsUnder(String prefix) {
        try {
            List<String> mounts = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].startsWith(prefix)) {
                    mounts.add(f[4]);
                }
            }
            return mounts;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
