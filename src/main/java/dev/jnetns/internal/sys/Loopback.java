package dev.jnetns.internal.sys;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Brings {@code lo} up (two ioctls, as iproute2's cheapest path), through a socket of the namespace: one the
 * caller has there already (any family: the kernel hands interface ioctls a socket family does not know to the
 * device layer of the socket's namespace), or a datagram socket opened for it in the calling thread's namespace.
 */
public final class Loopback {
    private static final int AF_INET = 2;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final int IFF_UP = 0x1;
    private static final int IFREQ_SIZE = 40;
    private static final int IFR_FLAGS = 16;

    private Loopback() {}

    /** Sets {@code IFF_UP} on {@code lo} in the calling thread's network namespace. */
    public static void up() {
        int sock;
        try {
            sock = LibC.socket(AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw NsFiles.failure("socket(AF_INET)", e);
        }
        try {
            upThrough(sock);
        } finally {
            NsFiles.close(sock);
        }
    }

    /**
     * Sets {@code IFF_UP} on {@code lo} in the namespace of socket {@code sock}, which stays open: a namespace
     * jnetns makes gets its spare rtnetlink socket first, which spares a socket opened and closed for this (8 us).
     */
    public static void upThrough(int sock) {
        byte[] ifreq = new byte[IFREQ_SIZE];
        ifreq[0] = 'l';
        ifreq[1] = 'o';
        ioctl(sock, SIOCGIFFLAGS, ifreq, "ioctl(lo, SIOCGIFFLAGS)");
        ByteBuffer b = ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder());
        b.putShort(IFR_FLAGS, (short) (b.getShort(IFR_FLAGS) | IFF_UP));
        ioctl(sock, SIOCSIFFLAGS, ifreq, "ioctl(lo, SIOCSIFFLAGS IFF_UP)");
    }

    private static void ioctl(int sock, long request, byte[] ifreq, String operation) {
        try {
            LibC.ioctl(sock, request, ifreq);
        } catch (LastErrorException e) {
            throw NsFiles.failure(operation, e);
        }
    }
}
