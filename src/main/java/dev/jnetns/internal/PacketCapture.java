package dev.jnetns.internal;

import com.sun.jna.LastErrorException;
import dev.jnetns.internal.sys.Errno;
import dev.jnetns.internal.sys.LibC;
import dev.jnetns.internal.sys.NsFiles;
import dev.jnetns.internal.sys.SysException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every packet of one network namespace, on every link ({@code lo} included, and links made later), kept in
 * memory until {@link #stop}: an {@code AF_PACKET} socket not bound to a link, opened inside the namespace, read by
 * a platform thread started outside it, which waits in {@code poll} for packets or for an eventfd that stop writes. Memory is bounded: each packet keeps at most {@code snapLength} bytes, and
 * when the packets kept exceed {@code bufferBytes} the oldest are dropped (and counted). {@code lo}'s outgoing
 * copies are left out, as libpcap does: each packet on {@code lo} is seen once.
 */
public final class PacketCapture {
    private static final int SOCKADDR_LL = 20;
    private static final int PACKET_OUTGOING = 4;
    private static final int ARPHRD_LOOPBACK = 772;

    /** A packet as captured: the link's index, when (ns since the epoch), whether it was sent, and its bytes. */
    @SuppressWarnings("ArrayRecordComponent") // never compared nor hashed: written to a file once
    public record Packet(int ifindex, long nanos, boolean outbound, int length, byte[] data) {}

    /** A link seen in the capture: its name when first seen, and its {@code ARPHRD_*} type. */
    public record Interface(String name, int hatype) {}

    /** What a capture holds once stopped. */
    public record Result(
            List<Packet> packets,
            Map<Integer, Interface> interfaces,
            int snapLength,
            long droppedByKernel,
            long droppedFromBuffer) {}

    private final int fd;
    /** Written by {@link #stop} to wake the reader at once. */
    private final int wakeup;

    private final int snapLength;
    private final long bufferBytes;
    private final ArrayDeque<Packet> kept = new ArrayDeque<>();
    private final Map<Integer, Interface> interfaces = new LinkedHashMap<>();
    private long keptBytes;
    private long droppedFromBuffer;
    private volatile boolean stopping;
    private Thread reader;
    private RuntimeException failure;

    private PacketCapture(int fd, int wakeup, int snapLength, long bufferBytes) {
        this.fd = fd;
        this.wakeup = wakeup;
        this.snapLength = snapLength;
        this.bufferBytes = bufferBytes;
    }

    /**
     * Opens the capture's socket in the calling thread's namespace; packets are queued by the kernel from now on,
     * and read once {@link #start} is called (from a thread outside, which then stays out).
     */
    public static PacketCapture openHere(int snapLength, long bufferBytes) {
        if (snapLength < 64 || bufferBytes < snapLength) {
            throw new IllegalArgumentException("a capture needs a snap length of at least 64 bytes and a buffer at"
                    + " least that large, was snapLength " + snapLength + ", bufferBytes " + bufferBytes);
        }
        int fd;
        try {
            fd = LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.ETH_P_ALL_BE);
        } catch (LastErrorException e) {
            throw SysException.of("socket(AF_PACKET, SOCK_RAW, ETH_P_ALL)", e);
        }
        int wakeup;
        try {
            wakeup = LibC.eventfd(0, LibC.EFD_CLOEXEC);
        } catch (LastErrorException e) {
            NsFiles.close(fd);
            throw SysException.of("eventfd", e);
        }
        try {
            byte[] rcvbuf = ByteBuffer.allocate(4)
                    .order(ByteOrder.nativeOrder())
                    .putInt(4 << 20)
                    .array();
            LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, rcvbuf, rcvbuf.length);
        } catch (LastErrorException e) {
            NsFiles.close(fd);
            NsFiles.close(wakeup);
            throw SysException.of("setsockopt on an AF_PACKET socket", e);
        }
        return new PacketCapture(fd, wakeup, snapLength, bufferBytes);
    }

    /** Starts reading, on a platform thread named {@code name} started here. */
    public synchronized void start(String name) {
        if (reader != null) {
            throw new IllegalStateException("started already");
        }
        reader = new Thread(null, this::readUntilStopped, name, 0, false);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Reads what the kernel still holds, stops, closes the socket and returns the packets; a read that failed is
     * thrown here. Call it once.
     */
    public Result stop() {
        stopping = true;
        try {
            LibC.write(
                    wakeup,
                    ByteBuffer.allocate(8)
                            .order(ByteOrder.nativeOrder())
                            .putLong(1)
                            .array(),
                    8);
        } catch (LastErrorException e) {
            throw SysException.of("write(eventfd)", e); // cannot happen: the counter is far from full
        }
        boolean interrupted = false;
        while (reader != null && reader.isAlive()) {
            try {
                reader.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        long droppedByKernel = kernelDrops();
        closeLater(fd, wakeup);
        if (failure != null) {
            throw failure;
        }
        return new Result(
                List.copyOf(kept),
                Collections.unmodifiableMap(new LinkedHashMap<>(interfaces)),
                snapLength,
                droppedByKernel,
                droppedFromBuffer);
    }

    /**
     * Closes the descriptors on a thread of {@link #CLOSERS}: closing an {@code AF_PACKET} socket waits for an RCU
     * grace period ({@code synchronize_net}, 8 to 16 ms here), which the test need not wait for; closes running at
     * once share one grace period.
     */
    private static void closeLater(int... fds) {
        CLOSERS.execute(() -> {
            for (int each : fds) {
                NsFiles.close(each);
            }
        });
    }

    private static final ExecutorService CLOSERS =
            new ThreadPoolExecutor(0, Integer.MAX_VALUE, 2, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
                Thread t = new Thread(null, task, "jnetns-capture-closer", 0, false);
                t.setDaemon(true);
                return t;
            });

    private void readUntilStopped() {
        byte[] buf = new byte[snapLength];
        byte[] addr = new byte[SOCKADDR_LL];
        int[] addrLength = new int[1];
        byte[] stamp = new byte[16];
        ByteBuffer sll = ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder());
        ByteBuffer ts = ByteBuffer.wrap(stamp).order(ByteOrder.nativeOrder());
        byte[] pollfds = ByteBuffer.allocate(16)
                .order(ByteOrder.nativeOrder())
                .putInt(fd)
                .putShort(LibC.POLLIN)
                .putShort((short) 0)
                .putInt(wakeup)
                .putShort(LibC.POLLIN)
                .putShort((short) 0)
                .array();
        try {
            while (true) {
                boolean draining = stopping; // once asked to stop, take what is queued without waiting
                long length;
                try {
                    if (!draining) {
                        LibC.poll(pollfds, 2, -1); // until a packet comes, or stop() wakes it
                    }
                    addrLength[0] = SOCKADDR_LL;
                    length = LibC.recvfrom(fd, buf, buf.length, LibC.MSG_TRUNC | LibC.MSG_DONTWAIT, addr, addrLength);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == Errno.EAGAIN || e.getErrorCode() == Errno.EINTR) {
                        if (draining) {
                            return;
                        }
                        continue;
                    }
                    throw SysException.of("recvfrom(AF_PACKET)", e);
                }
                int ifindex = sll.getInt(4);
                int hatype = sll.getShort(8) & 0xffff;
                int pkttype = addr[10] & 0xff;
                if (pkttype == PACKET_OUTGOING && hatype == ARPHRD_LOOPBACK) {
                    continue;
                }
                long nanos = stampOf(stamp, ts);
                interfaces.computeIfAbsent(ifindex, i -> new Interface(nameOf(i), hatype));
                byte[] data = java.util.Arrays.copyOf(buf, (int) Math.min(length, buf.length));
                keep(new Packet(ifindex, nanos, pkttype == PACKET_OUTGOING, (int) length, data));
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** When the kernel received the last packet read ({@code SIOCGSTAMPNS}); now, if it cannot say. */
    private long stampOf(byte[] stamp, ByteBuffer ts) {
        try {
            LibC.ioctl(fd, LibC.SIOCGSTAMPNS, stamp);
            return ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
        } catch (LastErrorException e) {
            return System.currentTimeMillis() * 1_000_000L;
        }
    }

    private void keep(Packet packet) {
        kept.addLast(packet);
        keptBytes += packet.data().length;
        while (keptBytes > bufferBytes) {
            keptBytes -= kept.removeFirst().data().length;
            droppedFromBuffer++;
        }
    }

    /** The name of link {@code ifindex} in the socket's namespace ({@code SIOCGIFNAME}), or {@code ifN}. */
    private String nameOf(int ifindex) {
        byte[] ifreq = new byte[40];
        ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder()).putInt(16, ifindex);
        try {
            LibC.ioctl(fd, LibC.SIOCGIFNAME, ifreq);
        } catch (LastErrorException e) {
            return "if" + ifindex; // gone already
        }
        int end = 0;
        while (end < 16 && ifreq[end] != 0) {
            end++;
        }
        return new String(ifreq, 0, end, StandardCharsets.UTF_8);
    }

    /** Packets the kernel dropped because the socket's queue was full ({@code PACKET_STATISTICS}). */
    private long kernelDrops() {
        byte[] stats = new byte[8];
        try {
            LibC.getsockopt(fd, LibC.SOL_PACKET, LibC.PACKET_STATISTICS, stats, new int[] {stats.length});
        } catch (LastErrorException e) {
            return 0;
        }
        return ByteBuffer.wrap(stats).order(ByteOrder.nativeOrder()).getInt(4) & 0xffffffffL;
    }

    /** The names of the links seen, in the order first seen. */
    public static List<String> names(Result result) {
        List<String> names = new ArrayList<>();
        result.interfaces().values().forEach(i -> names.add(i.name()));
        return names;
    }
}
