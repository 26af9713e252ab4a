package dev.jnetns.internal.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** libc calls the netlink client needs beyond {@link dev.jnetns.internal.sys.LibC} (JNA direct mapping). */
public final class NetlinkNatives {
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    /** {@code _IOW('T', 202, int)}. */
    public static final long TUNSETIFF = 0x400454caL;
    /** {@code _IOW('T', 203, int)}. */
    public static final long TUNSETPERSIST = 0x400454cbL;

    public static final short IFF_TAP = 0x0002;
    public static final short IFF_NO_PI = 0x1000;
    /** Several queues (descriptors) per device; at creation and on every attach. */
    public static final short IFF_MULTI_QUEUE = 0x0100;
    /** Each frame read or written starts with a {@code struct virtio_net_hdr}. */
    public static final short IFF_VNET_HDR = 0x4000;
    /** {@code _IOR('T', 210, unsigned int)}: the attached device's name and flags. */
    public static final long TUNGETIFF = 0x800454d2L;
    /** {@code _IOR('T', 215, int)}: the size of the virtio-net header of each frame. */
    public static final long TUNGETVNETHDRSZ = 0x800454d7L;

    static {
        Native.register(NetlinkNatives.class, NativeLibrary.getInstance("c"));
    }

    private NetlinkNatives() {}

    /** {@code poll(2)} over {@code struct pollfd} records of 8 bytes each. */
    public static native int poll(byte[] fds, long nfds, int timeoutMillis) throws LastErrorException;
}
