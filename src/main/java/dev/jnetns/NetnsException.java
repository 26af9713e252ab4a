package dev.jnetns;

import dev.jnetns.internal.Errno;

/**
 * A kernel call on behalf of jnetns failed, or a handle was used wrongly. The message names the operation and,
 * where the kernel answered with an error number, its symbolic name and text, for example
 * {@code setns(net:[4026532177]): EPERM (Operation not permitted)}.
 */
public class NetnsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;

    /**
     * A failure the kernel reported with {@code errno}.
     *
     * @param operation what was attempted, e.g. {@code setns(net:[4026532177])}
     * @param errno the kernel's error number
     */
    public NetnsException(String operation, int errno) {
        this(operation, errno, null, null);
    }

    /**
     * A failure the kernel reported with {@code errno}, with detail text (such as the kernel's extended ack).
     *
     * @param operation what was attempted
     * @param errno the kernel's error number, or 0 where there is none
     * @param detail extra text appended to the message, or {@code null}
     * @param cause the underlying exception, or {@code null}
     */
    public NetnsException(String operation, int errno, String detail, Throwable cause) {
        super(message(operation, errno, detail), cause);
        this.operation = operation;
        this.errno = errno;
    }

    /**
     * A failure without an error number, for example a handle used after it was closed.
     *
     * @param operation what was attempted
     * @param detail why it failed
     */
    public NetnsException(String operation, String detail) {
        this(operation, 0, detail, null);
    }

    private static String message(String operation, int errno, String detail) {
        StringBuilder text = new StringBuilder(operation).append(": ");
        if (errno != 0) {
            text.append(Errno.describe(errno));
            if (detail != null && !detail.isEmpty()) {
                text.append(": ").append(detail);
            }
        } else {
            text.append(detail == null ? "failed" : detail);
        }
        return text.toString();
    }

    /** What was attempted, e.g. {@code setns(net:[4026532177])}. */
    public String operation() {
        return operation;
    }

    /** The kernel's error number, or 0 where the failure has none. */
    public int errno() {
        return errno;
    }

    /** The error number's symbolic name, e.g. {@code EPERM}, or {@code null} where the failure has none. */
    public String errnoName() {
        return errno == 0 ? null : Errno.name(errno);
    }
}
