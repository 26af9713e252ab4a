package dev.jnetns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.testing.ChildJvm;
import dev.jnetns.testing.Eye;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK makes a Unix socket pair the first time a NIO channel is used (JDK 17: of any kind; JDK 25: a socket
 * channel) and keeps one end for the JVM's life (to close descriptors under other threads' feet): in the namespace
 * of the thread that used the first channel. Were that a test's, the namespace would never go away. jnetns has the
 * JDK make it at home first.
 */
@Timeout(60)
class JdkSocketPairTest {
    /** A JVM whose first NIO channel is used inside a test's namespace; prints each socket it holds, with its namespace. */
    public static final class FirstChannelInsideMain {
        public static void main(String[] args) throws Exception {
            try (NsFd ns = Netns.newTransient()) {
                // a file channel (JDK 17 makes the pair for it) and a socket channel (JDK 25 makes it for that)
                String stat = Netns.execute(ns, () -> {
                    try (SocketChannel socket = SocketChannel.open()) {
                        return Files.readString(Path.of("/proc/thread-self/stat"));
                    }
                });
                System.out.println("TEST " + ns.ino() + " " + !stat.isEmpty());
            }
            System.out.println("HOME " + Eye.threadIno());
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : fds.toList()) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException e) {
                        continue; // the listing's own descriptor, closed meanwhile
                    }
                    if (target.startsWith("socket:")) {
                        int n = Integer.parseInt(fd.getFileName().toString());
                        System.out.println("SOCKET " + n + " " + target + " in " + namespaceOf(n));
                    }
                }
            }
        }
    }

    /**
     * The inode of socket {@code fd}'s namespace, or {@code denied}: the kernel answers only where the caller may
     * administer that namespace, which under {@code unshare -Ur} the host's, then home, is not (a test's is).
     */
    private static String namespaceOf(int fd) {
        try {
            return Long.toString(Eye.socketNetnsIno(fd));
        } catch (com.sun.jna.LastErrorException e) {
            return "denied";
        }
    }

    @Test
    void theJdksSocketPairIsMadeAtHomeNotInTheFirstTestNamespaceThatUsesAChannel() throws Exception {
        List<String> command = ChildJvm.command(FirstChannelInsideMain.class.getName());
        Eye.Result result = Eye.run(command.toArray(String[]::new));
        assertThat(result.exit).as("%s", result).isZero();
        Matcher test = Pattern.compile("TEST (\\d+) true").matcher(result.output);
        Matcher home = Pattern.compile("HOME (\\d+)").matcher(result.output);
        assertThat(test.find() && home.find()).as("%s", result.output).isTrue();
        List<String> sockets =
                result.output.lines().filter(l -> l.startsWith("SOCKET ")).toList();
        assertThat(sockets).as("the child's sockets").isNotEmpty();
        assertThat(sockets)
                .as("no socket in the test's namespace net:[%s]", test.group(1))
                .noneMatch(l -> l.endsWith(" in " + test.group(1)))
                .anyMatch(l -> l.endsWith(" in " + home.group(1)) || l.endsWith(" in denied")); // the JDK's
    }
}
