package dev.jnetns.link;

import com.sun.jna.LastErrorException;
import dev.jnetns.NetnsException;
import dev.jnetns.internal.sys.LibC;
import dev.jnetns.internal.sys.NetlinkNatives;
import dev.jnetns.internal.sys.NsFiles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * An open queue of a tap device ({@code /dev/net/tun} attached with {@code TUNSETIFF}, {@code IFF_TAP |
 * IFF_NO_PI}, plus {@code IFF_MULTI_QUEUE} and {@code IFF_VNET_HDR} when the device has them): each {@link #read}
 * returns one Ethernet frame the kernel sent out of the link, each {@link #write} injects one frame as if received
 * on it. While it is open the link has carrier. Close it to detach; the persistent device stays. Reads and writes
 * may come from different threads. A multi-queue tap has one such object per queue: the kernel spreads the frames
 * it sends over them (by flow), and frames written to any of them are received.
 *
 * <p>With a virtio-net header ({@link LinkSpec#vnetHeader()}) frames are passed as the kernel passes them: each
 * frame read starts with {@link #vnetHeaderSize()} bytes of {@code struct virtio_net_hdr}, and each frame written
 * must start with one too (all zeros: no checksum or segmentation offload asked for).
 */
public final class TapDevice implements AutoCloseable {
    private static final int TUN_IFREQ_SIZE = 40;

    private final Link link;
    private final int vnetHeaderSize;
    private volatile int fd;

    private TapDevice(Link link, int fd, int vnetHeaderSize) {
        this.link = link;
        this.fd = fd;
        this.vnetHeaderSize = vnetHeaderSize;
    }

    /** On the calling thread (inside the namespace): a new queue of tap {@code link}, attached with {@code flags}. */
    static TapDevice open(Link link, int flags, String op) {
        int fd = attach(link.name(), flags, op);
        if ((flags & NetlinkNatives.IFF_VNET_HDR) == 0) {
            return new TapDevice(link, fd, 0);
        }
        byte[] size = new byte[4];
        try {
            LibC.ioctl(fd, NetlinkNatives.TUNGETVNETHDRSZ, size);
        } catch (LastErrorException e) {
            NsFiles.close(fd);
            throw new NetnsException("TUNGETVNETHDRSZ tap \"" + link.name() + "\"", e.getErrorCode(), null, e);
        }
        return new TapDevice(
                link, fd, ByteBuffer.wrap(size).order(ByteOrder.nativeOrder()).getInt(0));
    }

    /** The link, as read when it was opened. */
    public Link link() {
        return link;
    }

    private int fdOrFail(String op) {
        int value = fd;
        if (value < 0) {
            throw new NetnsException(op + " tap \"" + link.name() + "\"", "the tap device is closed");
        }
        return value;
    }

    /**
     * Waits up to {@code timeout} for a frame and reads it into {@code buffer}.
     *
     * @return the frame's length, or -1 if none came in time
     */
    public int read(byte[] buffer, Duration timeout) {
        Objects.requireNonNull(buffer, "buffer");
        int f = fdOrFail("read");
        byte[] pfd = ByteBuffer.allocate(8)
                .order(ByteOrder.nativeOrder())
                .putInt(f)
                .putShort(NetlinkNatives.POLLIN)
                .putShort((short) 0)
                .array();
        long millis = Math.max(0, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try {
            int ready = NetlinkNatives.poll(pfd, 1, (int) millis);
            if (ready == 0) {
                return -1;
            }
            return (int) LibC.read(f, buffer, buffer.length);
        } catch (LastErrorException e) {
            throw new NetnsException("read tap \"" + link.name() + "\"", e.getErrorCode(), null, e);
        }
    }

    /**
     * Reads one frame, waiting up to {@code timeout}.
     *
     * @return the frame, or {@code null} if none came in time
     */
    public byte[] readFrame(Duration timeout) {
        byte[] buffer = new byte[65536];
        int n = read(buffer, timeout);
        return n < 0 ? null : Arrays.copyOf(buffer, n);
    }

    /** Injects one Ethernet frame (destination MAC first) as if received on the link. */
    public void write(byte[] frame) {
        int f = fdOrFail("write");
        try {
            LibC.write(f, frame, frame.length);
        } catch (LastErrorException e) {
            throw new NetnsException("write tap \"" + link.name() + "\"", e.getErrorCode(), null, e);
        }
    }

    /**
     * The size of the virtio-net header at the start of each frame ({@code TUNGETVNETHDRSZ}), 0 when the device
     * has none.
     *
     * @return the size in bytes: 10 (the kernel's default) with {@link LinkSpec#vnetHeader()}, else 0
     */
    public int vnetHeaderSize() {
        return vnetHeaderSize;
    }

    /** Whether it is still open. */
    public boolean isOpen() {
        return fd >= 0;
    }

    /** Detaches from the device; idempotent. */
    @Override
    public void close() {
        int value = fd;
        fd = -1;
        if (value >= 0) {
            NsFiles.close(value);
        }
    }

    @Override
    public String toString() {
        return "TapDevice[" + link.name() + (fd >= 0 ? "" : " closed") + "]";
    }

    /**
     * On the calling thread (inside the namespace): creates tap {@code name} as a persistent device, attached,
     * made persistent and closed in one visit, so that no descriptor outlives it.
     */
    static void createPersistent(String name, int flags, String op) {
        int fd = attach(name, flags, op);
        try {
            LibC.ioctl(fd, NetlinkNatives.TUNSETPERSIST, 1L);
        } catch (LastErrorException e) {
            throw new NetnsException("TUNSETPERSIST tap \"" + name + "\"", e.getErrorCode(), null, e);
        } finally {
            NsFiles.close(fd);
        }
    }

    /**
     * Opens /dev/net/tun on the calling thread (inside the namespace) and attaches it to tap {@code name} with
     * {@code flags} ({@code IFF_*}: the kernel checks {@code IFF_MULTI_QUEUE} against the device's and takes the
     * other features over, so they must be the device's own).
     */
    static int attach(String name, int flags, String op) {
        int fd;
        try {
            fd = LibC.open("/dev/net/tun", LibC.O_RDWR | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new NetnsException("open(/dev/net/tun) for " + op, e.getErrorCode(), null, e);
        }
        byte[] ifreq = new byte[TUN_IFREQ_SIZE];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(nameBytes, 0, ifreq, 0, nameBytes.length);
        ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder()).putShort(16, (short) flags);
        try {
            LibC.ioctl(fd, NetlinkNatives.TUNSETIFF, ifreq);
            return fd;
        } catch (LastErrorException e) {
            NsFiles.close(fd);
            throw new NetnsException(op, e.getErrorCode(), null, e);
        }
    }

    /** The {@code IFF_*} flags of the device this descriptor is attached to ({@code TUNGETIFF}). */
    int attachedFlags() {
        int f = fdOrFail("TUNGETIFF");
        byte[] ifreq = new byte[TUN_IFREQ_SIZE];
        try {
            LibC.ioctl(f, NetlinkNatives.TUNGETIFF, ifreq);
        } catch (LastErrorException e) {
            throw new NetnsException("TUNGETIFF tap \"" + link.name() + "\"", e.getErrorCode(), null, e);
        }
        return ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder()).getShort(16) & 0xffff;
    }
}
