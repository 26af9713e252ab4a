package dev.jnetns.internal.sys;

import com.sun.jna.LastErrorException;

/**
 * A kernel call failed, below the public API: the operation, the kernel's errno (0 where there is none) and
 * detail text. The public layers turn it into a {@code dev.jnetns.NetnsException} with the same message and
 * stack, so that this layer needs nothing from the packages above it.
 */
public class SysException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;
    private final String detail;

    /**
     * @param operation what was attempted, e.g. {@code setns(net:[4026532177])}
     * @param errno the kernel's error number, or 0 where there is none
     * @param detail extra text (such as the kernel's extended ack), or {@code null}
     * @param cause the underlying exception, or {@code null}
     */
    public SysException(String operation, int errno, String detail, Throwable cause) {
        super(Errno.message(operation, errno, detail), cause);
        this.operation = operation;
        this.errno = errno;
        this.detail = detail;
    }

    /** A failure without an errno, e.g. a socket used after it was closed. */
    public SysException(String operation, String detail) {
        this(operation, 0, detail, null);
    }

    /** A failed libc call, with its errno. */
    public static SysException of(String operation, LastErrorException e) {
        return new SysException(operation, e.getErrorCode(), null, e);
    }

    /** What was attempted. */
    public String operation() {
        return operation;
    }

    /** The kernel's errno, or 0. */
    public int errno() {
        return errno;
    }

    /** The detail text, or {@code null}. */
    public String detail() {
        return detail;
    }
}
