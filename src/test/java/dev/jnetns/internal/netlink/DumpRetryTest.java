package dev.jnetns.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import dev.jnetns.internal.sys.SysException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code NLM_F_DUMP_INTR} retry, driven by a fake kernel at the other end of an {@code AF_UNIX} datagram
 * socket pair: the kernel here no longer flags link dumps at all (Linux 6.8 walks them without a sequence
 * check), and when it flags others is up to its timing, so the branch is tested with answers of our making.
 */
@Timeout(30)
class DumpRetryTest {
    /** What the test needs of libc beyond jnetns' own mapping. */
    static final class Sys {
        static {
            Native.register(Sys.class, NativeLibrary.getInstance("c"));
        }

        static native int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

        static native long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        static native long send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native int shutdown(int fd, int how) throws LastErrorException;
    }

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;

    @Test
    void aDumpFlaggedInterruptedIsRepeatedAndOnlyTheWholeOneIsReturned() throws Exception {
        // attempts 1 and 2 are flagged; attempt 3 is whole: only its links come back
        try (FakeKernel kernel = new FakeKernel(attempt -> attempt <= 2)) {
            List<NlMessage> links =
                    kernel.socket.dump(new NlBuilder(Nl.RTM_GETLINK, 0).ifinfomsg(0, 0, 0, 0), "RTM_GETLINK dump");
            assertThat(kernel.attempts.get()).isEqualTo(3);
            assertThat(kernel.socket.interruptedDumps()).isEqualTo(2);
            assertThat(links)
                    .extracting(m -> m.familyHeader(16, "ifinfomsg").getInt(4))
                    .as("ifindex of each link: attempt * 100 + part")
                    .containsExactly(301, 302, 303);
        }
    }

    @Test
    void aDumpInterruptedTenTimesInARowFailsWithEintr() throws Exception {
        try (FakeKernel kernel = new FakeKernel(attempt -> true)) {
            SysException e = catchThrowableOfType(
                    () -> kernel.socket.dump(
                            new NlBuilder(Nl.RTM_GETLINK, 0).ifinfomsg(0, 0, 0, 0), "RTM_GETLINK dump"),
                    SysException.class);
            assertThat(e.errno()).isEqualTo(dev.jnetns.internal.sys.Errno.EINTR);
            assertThat(e)
                    .hasMessage("RTM_GETLINK dump: EINTR (Interrupted system call): dump interrupted"
                            + " (NLM_F_DUMP_INTR) 10 times in a row");
            assertThat(kernel.attempts.get()).isEqualTo(10);
        }
    }

    /** Answers each dump request with three links in three datagrams, then NLMSG_DONE. */
    private static final class FakeKernel implements AutoCloseable {
        final NetlinkSocket socket;
        final AtomicInteger attempts = new AtomicInteger();
        private final int peer;
        private final Thread thread;
        private final AtomicReference<Throwable> failed = new AtomicReference<>();

        FakeKernel(IntPredicate interrupted) {
            int[] pair = new int[2];
            Sys.socketpair(AF_UNIX, SOCK_DGRAM, 0, pair);
            peer = pair[1];
            socket = NetlinkSocket.adopt(pair[0], "fake"); // port 0: an unnamed unix socket has no netlink address
            thread = new Thread(
                    () -> {
                        try {
                            byte[] request = new byte[4096];
                            while (true) {
                                long n = Sys.recv(peer, request, request.length, 0);
                                if (n <= 0) {
                                    return;
                                }
                                int seq = ByteBuffer.wrap(request)
                                        .order(ByteOrder.nativeOrder())
                                        .getInt(8);
                                int attempt = attempts.incrementAndGet();
                                int flags = Nl.NLM_F_MULTI | (interrupted.test(attempt) ? Nl.NLM_F_DUMP_INTR : 0);
                                for (int part = 1; part <= 3; part++) {
                                    answer(Nl.RTM_NEWLINK, flags, seq, attempt * 100 + part);
                                }
                                answer(Nl.NLMSG_DONE, flags, seq, 0);
                            }
                        } catch (LastErrorException e) {
                            // the pair was closed
                        } catch (Throwable e) {
                            failed.set(e);
                        }
                    },
                    "fake-kernel");
            thread.setDaemon(true);
            thread.start();
        }

        /** An ifinfomsg with {@code value} as the index (or, for NLMSG_DONE, a 4-byte 0 status). */
        private void answer(int type, int flags, int seq, int value) {
            byte[] m = new NlBuilder(type, 0).ifinfomsg(0, value, 0, 0).build(seq);
            if (type == Nl.NLMSG_DONE) {
                m = new NlBuilder(type, 0).raw(new byte[4]).build(seq);
            }
            ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).putShort(6, (short) flags);
            Sys.send(peer, m, m.length, 0);
        }

        @Override
        public void close() throws Exception {
            socket.close();
            Sys.shutdown(peer, 2); // SHUT_RDWR: wakes the blocked recv, which then returns 0
            thread.join(5000);
            Sys.close(peer);
            assertThat(thread.isAlive()).isFalse();
            assertThat(failed.get()).isNull();
        }
    }
}
