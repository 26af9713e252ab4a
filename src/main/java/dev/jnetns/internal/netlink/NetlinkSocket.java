package dev.jnetns.internal.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.jnetns.internal.sys.Errno;
import dev.jnetns.internal.sys.LibC;
import dev.jnetns.internal.sys.NetlinkNatives;
import dev.jnetns.internal.sys.NsFiles;
import dev.jnetns.internal.sys.SysException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@code AF_NETLINK}/{@code NETLINK_ROUTE} socket. It belongs to the network namespace of the thread that
 * called {@link #open(String)}, for life, whichever thread uses it later. One request at a time (a lock), so an
 * instance can be shared between threads. Every request carries {@code NLM_F_ACK}; errors become
 * {@link SysException}s with the kernel's extended-ack text.
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final int RECV_TIMEOUT_SECONDS = 30;
    private static final int DUMP_ATTEMPTS = 10;

    private final ReentrantLock lock = new ReentrantLock();
    private final String label;
    private volatile int fd;
    private final int portId;
    private int seq = ThreadLocalRandom.current().nextInt(1, 1 << 30);
    // native: a byte[] would be copied in and out by JNA on every recv (64 KiB twice each way, measured ~20 us)
    private Memory rbuf = new Memory(64 * 1024);
    private final java.util.concurrent.atomic.AtomicLong interruptedDumps =
            new java.util.concurrent.atomic.AtomicLong();

    private NetlinkSocket(int fd, int portId, String label) {
        this.fd = fd;
        this.portId = portId;
        this.label = label;
    }

    /**
     * Opens a socket in the calling thread's network namespace, with {@code SOCK_CLOEXEC},
     * {@code NETLINK_EXT_ACK} and {@code NETLINK_CAP_ACK} (where the kernel has them).
     *
     * @param label names the socket in errors, e.g. {@code Rtnl(net:[4026532177])}
     */
    public static NetlinkSocket open(String label) {
        return adopt(openFd(), label);
    }

    /**
     * Opens and binds a socket in the calling thread's network namespace, as {@link #open(String)} does, and
     * returns its bare descriptor (for a socket made ahead, to {@link #adopt} later on any thread).
     *
     * @return the descriptor, which the caller owns
     */
    public static int openFd() {
        int fd = openUnconfiguredFd();
        try {
            configure(fd);
            return fd;
        } catch (RuntimeException e) {
            NsFiles.close(fd);
            throw e;
        }
    }

    /**
     * Opens a socket in the calling thread's network namespace without options or address: enough for interface
     * ioctls (which reach the namespace's devices through any socket of it); {@link #configure} makes it one that
     * {@link #adopt} takes.
     *
     * @return the descriptor, which the caller owns
     */
    public static int openUnconfiguredFd() {
        try {
            return LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, Nl.NETLINK_ROUTE);
        } catch (LastErrorException e) {
            throw NsFiles.failure("socket(AF_NETLINK, NETLINK_ROUTE)", e);
        }
    }

    /**
     * Sets the options of a socket from {@link #openUnconfiguredFd} and binds it (on any thread: the socket stays in
     * its namespace); the caller still owns {@code fd}, also if this fails.
     */
    public static void configure(int fd) {
        try {
            optionalIntOption(fd, Nl.NETLINK_EXT_ACK, 1);
            optionalIntOption(fd, Nl.NETLINK_CAP_ACK, 1);
            ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
            tv.putLong(0, RECV_TIMEOUT_SECONDS).putLong(8, 0);
            LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, tv.array(), 16);
            byte[] addr = new byte[12];
            ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder()).putShort(0, (short) LibC.AF_NETLINK);
            LibC.bind(fd, addr, addr.length);
        } catch (LastErrorException e) {
            throw NsFiles.failure("netlink socket setup", e);
        }
    }

    /**
     * Wraps a descriptor from {@link #openFd()}; the socket stays in the namespace it was opened in.
     *
     * @param fd the descriptor, which the new instance owns (closed here if this fails)
     * @param label names the socket in errors
     */
    public static NetlinkSocket adopt(int fd, String label) {
        byte[] addr = new byte[12];
        int[] addrLen = {addr.length};
        try {
            LibC.getsockname(fd, addr, addrLen);
        } catch (LastErrorException e) {
            NsFiles.close(fd);
            throw NsFiles.failure("getsockname(netlink)", e);
        }
        return new NetlinkSocket(
                fd, ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder()).getInt(4), label);
    }

    private static void optionalIntOption(int fd, int option, int value) {
        byte[] v = ByteBuffer.allocate(4)
                .order(ByteOrder.nativeOrder())
                .putInt(value)
                .array();
        try {
            LibC.setsockopt(fd, LibC.SOL_NETLINK, option, v, 4);
        } catch (LastErrorException e) {
            // older kernels lack extended acks: errors then carry the errno alone
        }
    }

    /** The netlink port id the kernel gave this socket. */
    public int portId() {
        return portId;
    }

    /** How many dumps were repeated because the kernel flagged them {@code NLM_F_DUMP_INTR}. */
    public long interruptedDumps() {
        return interruptedDumps.get();
    }

    /** Whether {@link #close()} has not been called. */
    public boolean isOpen() {
        return fd >= 0;
    }

    /**
     * Sends a request (with {@code NLM_F_ACK}) and waits for the kernel's acknowledgement.
     *
     * @param request the message
     * @param operation names the request in errors, e.g. {@code RTM_NEWLINK veth "a"}
     * @return the replies that came before the ack (e.g. the answer to a non-dump GET)
     * @throws SysException with the errno and extended-ack text if the kernel refuses
     */
    public List<NlMessage> request(NlBuilder request, String operation) {
        lock.lock();
        try {
            int mySeq = nextSeq();
            send(request, Nl.NLM_F_ACK, mySeq, operation);
            List<NlMessage> replies = new ArrayList<>();
            while (true) {
                byte[] datagram = receive(operation);
                for (NlMessage m : NlMessage.parseAll(datagram, datagram.length)) {
                    if (m.seq() != mySeq || m.pid() != portId) {
                        continue; // a stale answer to an earlier, abandoned request
                    }
                    if (m.type() == Nl.NLMSG_ERROR) {
                        int code = m.errorCode();
                        if (code == 0) {
                            return replies;
                        }
                        throw new SysException(operation, -code, m.extAckMessage(), null);
                    }
                    if (m.type() == Nl.NLMSG_DONE || m.type() == Nl.NLMSG_NOOP) {
                        continue;
                    }
                    replies.add(m);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends a dump request ({@code NLM_F_DUMP}) and collects the multi-part answer until {@code NLMSG_DONE};
     * the whole dump is repeated when the kernel flags it {@code NLM_F_DUMP_INTR} (changed while dumping).
     *
     * @return the messages, without the final {@code NLMSG_DONE}
     */
    public List<NlMessage> dump(NlBuilder request, String operation) {
        List<NlMessage> out = new ArrayList<>();
        for (byte[] datagram : dumpRaw(request, operation)) {
            for (NlMessage m : NlMessage.parseAll(datagram, datagram.length)) {
                if (m.type() != Nl.NLMSG_DONE && m.type() != Nl.NLMSG_NOOP && m.type() != Nl.NLMSG_ERROR) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /**
     * As {@link #dump}, but returns the raw datagrams of the successful attempt (for tests of the parser); each
     * datagram holds only messages of this dump.
     */
    public List<byte[]> dumpRaw(NlBuilder request, String operation) {
        lock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                int mySeq = nextSeq();
                // NLM_F_ACK too: the kernel then puts extended-ack TLVs into a failing dump's NLMSG_DONE
                send(request, Nl.NLM_F_DUMP | Nl.NLM_F_ACK, mySeq, operation);
                List<byte[]> datagrams = new ArrayList<>();
                boolean interrupted = false;
                boolean done = false;
                while (!done) {
                    byte[] datagram = receive(operation);
                    boolean ours = false;
                    for (NlMessage m : NlMessage.parseAll(datagram, datagram.length)) {
                        if (m.seq() != mySeq || m.pid() != portId) {
                            continue;
                        }
                        ours = true;
                        if ((m.flags() & Nl.NLM_F_DUMP_INTR) != 0) {
                            interrupted = true;
                        }
                        if (m.type() == Nl.NLMSG_ERROR) {
                            int code = m.errorCode();
                            if (code != 0) {
                                throw new SysException(operation, -code, m.extAckMessage(), null);
                            }
                            done = true;
                        } else if (m.type() == Nl.NLMSG_DONE) {
                            if (m.payloadLength() >= 4) {
                                int code = m.errorCode();
                                if (code < 0) {
                                    throw new SysException(operation, -code, m.extAckMessage(), null);
                                }
                            }
                            done = true;
                        }
                    }
                    if (ours) {
                        datagrams.add(datagram);
                    }
                }
                if (!interrupted) {
                    return datagrams;
                }
                interruptedDumps.incrementAndGet();
                if (attempt >= DUMP_ATTEMPTS) {
                    throw new SysException(
                            operation,
                            Errno.EINTR,
                            "dump interrupted (NLM_F_DUMP_INTR) " + attempt + " times in a row",
                            null);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private int nextSeq() {
        seq = seq == Integer.MAX_VALUE ? 1 : seq + 1;
        return seq;
    }

    private int fdOrFail(String operation) {
        int value = fd;
        if (value < 0) {
            throw new SysException(operation, label + " is closed");
        }
        return value;
    }

    private void send(NlBuilder request, int extraFlags, int mySeq, String operation) {
        byte[] msg = request.build(mySeq);
        ByteBuffer b = ByteBuffer.wrap(msg).order(ByteOrder.nativeOrder());
        b.putShort(6, (short) (b.getShort(6) | extraFlags));
        int f = fdOrFail(operation);
        while (true) {
            try {
                long sent = LibC.send(f, msg, msg.length, 0);
                if (sent != msg.length) {
                    throw new SysException(operation, "short send: " + sent + " of " + msg.length + " bytes");
                }
                return;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new SysException(operation, e.getErrorCode(), "send to the kernel failed", e);
                }
            }
        }
    }

    private byte[] receive(String operation) {
        int f = fdOrFail(operation);
        while (true) {
            try {
                // the datagram's real length, copying nothing
                long size = LibC.recv(f, rbuf, 0, NetlinkNatives.MSG_PEEK | NetlinkNatives.MSG_TRUNC);
                if (size > rbuf.size()) {
                    rbuf.close();
                    rbuf = new Memory(size);
                }
                long n = LibC.recv(f, rbuf, rbuf.size(), 0);
                byte[] datagram = new byte[(int) n];
                rbuf.read(0, datagram, 0, datagram.length);
                return datagram;
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno == Errno.EAGAIN) {
                    throw new SysException(
                            operation,
                            Errno.ETIMEDOUT,
                            "no answer from the kernel within " + RECV_TIMEOUT_SECONDS + " s",
                            e);
                }
                throw new SysException(operation, errno, "receive from the kernel failed", e);
            }
        }
    }

    /** Closes the socket; idempotent. Waits for a request in progress on another thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            int value = fd;
            fd = -1;
            if (value >= 0) {
                NsFiles.close(value);
                rbuf.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return label + (fd >= 0 ? " (fd " + fd + ", port " + portId + ")" : " (closed)");
    }
}
