package dev.jnetns;

import com.sun.jna.LastErrorException;
import dev.jnetns.internal.sys.Errno;
import dev.jnetns.internal.sys.SysException;

/**
 * A kernel call on behalf of jnetns failed, or a handle was used wrongly. The message names the operation and,
 * where the kernel answered with an error number, its symbolic name and text, for example
 * {@code setns(net:[4026532177]): EPERM (Operation not permitted)}.
 */
public class NetnsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The operation that failed, e.g. {@code setns(net:[4026532177])}. */
    private final String operation;
    /** The kernel's errno, or 0 when the failure was not the kernel's. */
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
        super(Errno.message(operation, errno, detail), cause);
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

    /** What was attempted, e.g. {@code setns(net:[4026532177])}. */
    public String operation() {
        return operation;
    }

    /** The kernel's error number, or 0 where the failure has none. */
    public int errno() {
        return errno;
    }

    /**
     * The same failure as {@code e}, thrown where jnetns' internals met it, as the public exception.
     *
     * @param e the internal failure
     * @return an exception with its operation, errno, message, cause and stack
     */
    static NetnsException from(SysException e) {
        Throwable cause = e.getCause() instanceof SysException inner ? from(inner) : e.getCause();
        NetnsException translated = new NetnsException(e.operation(), e.errno(), e.detail(), cause);
        translated.setStackTrace(e.getStackTrace());
        for (Throwable s : e.getSuppressed()) {
            translated.addSuppressed(s);
        }
        return translated;
    }

    /** {@code e} as the public exception when it is jnetns' internal failure; otherwise {@code e} itself. */
    static RuntimeException translated(RuntimeException e) {
        return e instanceof SysException sys ? from(sys) : e;
    }

    /** A failed libc call, with its errno. */
    static NetnsException of(String operation, LastErrorException e) {
        return new NetnsException(operation, e.getErrorCode(), null, e);
    }

    /** The error number's symbolic name, e.g. {@code EPERM}, or {@code null} where the failure has none. */
    public String errnoName() {
        return errno == 0 ? null : Errno.name(errno);
    }
}
