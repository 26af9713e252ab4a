package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.internal.NsSockets;
import dev.jnetns.internal.SpareRtnlSocket;
import dev.jnetns.internal.Spares;
import dev.jnetns.internal.sys.LibC;
import dev.jnetns.testing.Eye;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rtnetlink socket jnetns opens inside each namespace it makes is lent to one handle at a time and outlives
 * it: handles opened one after another need no thread sent inside, and a closed one leaves no socket behind that
 * the namespace's counters would show as the test's until the kernel frees it.
 */
@Timeout(60)
class SpareSocketTest {
    /** The socket inode a descriptor of this process names, as {@code /proc/self/fd} shows it. */
    private static String socketOf(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    }

    /** How many descriptors of this process name {@code socket} (e.g. {@code socket:[123]}). */
    private static long descriptorsOn(String socket) throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().equals(socket);
                        } catch (IOException e) {
                            return false; // closed meanwhile
                        }
                    })
                    .count();
        }
    }

    /** The netlink port id {@code fd} is bound to; 0 while it is not bound. */
    private static int portOf(int fd) {
        byte[] addr = new byte[12];
        LibC.getsockname(fd, addr, new int[] {addr.length});
        return ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder()).getInt(4);
    }

    private static SpareRtnlSocket spareOf(NsFd ns) {
        SpareRtnlSocket spare = Spares.RTNL_SOCKETS.get(ns.fd());
        assumeThat(spare).as("a spare socket (jnetns made the namespace)").isNotNull();
        return spare;
    }

    @Test
    void handlesOneAfterAnotherBorrowTheSameSocketWhichIsBoundOnlyWhenFirstLent() throws Exception {
        try (NsFd ns = Netns.newTransient()) {
            SpareRtnlSocket spare = spareOf(ns);
            String socket = socketOf(spare.fd());
            assertThat(Eye.socketNetnsIno(spare.fd())).as("its namespace").isEqualTo(ns.ino());
            assertThat(portOf(spare.fd())).as("unbound until lent").isZero();
            for (int i = 0; i < 3; i++) {
                try (Rtnl rtnl = Rtnl.open(ns)) {
                    assertThat(rtnl.links()).extracting(Link::name).containsExactly("lo");
                    assertThat(descriptorsOn(socket))
                            .as("jnetns' and the handle's")
                            .isEqualTo(2);
                    assertThat(portOf(spare.fd())).as("bound").isNotZero();
                }
                assertThat(descriptorsOn(socket))
                        .as("jnetns' alone, once the handle closed")
                        .isEqualTo(1);
            }
        }
        // the namespace's handle closed: so is jnetns' descriptor of the socket
    }

    @Test
    void aSecondHandleOpenAtTheSameTimeGetsASocketOfItsOwnAndTheSpareIsFreeAgainAfter() throws Exception {
        try (NsFd ns = Netns.newTransient()) {
            SpareRtnlSocket spare = spareOf(ns);
            String socket = socketOf(spare.fd());
            try (Rtnl first = Rtnl.open(ns);
                    Rtnl second = Rtnl.open(ns)) {
                assertThat(descriptorsOn(socket)).as("lent to the first only").isEqualTo(2);
                assertThat(first.links()).extracting(Link::name).containsExactly("lo");
                assertThat(second.links()).extracting(Link::name).containsExactly("lo");
                assertThat(second.netnsIno()).isEqualTo(ns.ino());
            }
            try (Rtnl third = Rtnl.open(ns)) {
                assertThat(descriptorsOn(socket)).as("lent again").isEqualTo(2);
                assertThat(third.links()).extracting(Link::name).containsExactly("lo");
            }
        }
    }

    @Test
    void aLoanGivenBackTwiceDoesNotFreeTheNextOne() throws Exception {
        try (NsFd ns = Netns.newTransient()) {
            SpareRtnlSocket spare = spareOf(ns);
            SpareRtnlSocket.Loan first = spare.lend();
            assertThat(first).isNotNull();
            assertThat(spare.lend()).as("while lent").isNull();
            LibC.close(first.fd());
            first.giveBack();
            SpareRtnlSocket.Loan second = spare.lend();
            assertThat(second).isNotNull();
            first.giveBack();
            assertThat(spare.lend())
                    .as("the first loan's late give-back left the second in place")
                    .isNull();
            LibC.close(second.fd());
            second.giveBack();
        }
    }

    /**
     * Right after a handle closes, the namespace's counters count no socket but jnetns' own: a test that used
     * rtnetlink needs no look inside for sockets at its end. (A socket closed for real would be counted until an
     * RCU grace period has passed.)
     */
    @Test
    void aClosedHandleLeavesTheCountersAtJnetnsOwnSocket() throws Exception {
        try (NsFd ns = Netns.newTransient();
                NsSockets view = Netns.execute(ns, NsSockets::openHere)) {
            spareOf(ns);
            for (int i = 0; i < 20; i++) {
                try (Rtnl rtnl = Rtnl.open(ns)) {
                    rtnl.links();
                }
                assertThat(view.mayHoldTcp(1)).as("round %d", i).isFalse();
            }
            // read without NIO: the JDK's first FileChannel makes a Unix socket pair in the namespace it is used in
            String counters = Netns.execute(ns, () -> {
                try (FileInputStream in = new FileInputStream("/proc/thread-self/net/sockstat")) {
                    return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                }
            });
            assertThat(counters).as("sockstat read inside").contains("sockets: used 1\n");
        }
    }
}
