package dev.jnetns.link;

import com.sun.jna.LastErrorException;
import dev.jnetns.NetnsException;
import dev.jnetns.internal.sys.SysException;

/** Turns failures met below the public API into {@link NetnsException}s, keeping message and stack. */
final class Failures {
    private Failures() {}

    /** A failed libc call, with its errno. */
    static NetnsException of(String operation, LastErrorException e) {
        return new NetnsException(operation, e.getErrorCode(), null, e);
    }

    /** {@code e} as the public exception when it is jnetns' internal failure; otherwise {@code e} itself. */
    static RuntimeException translated(RuntimeException e) {
        if (!(e instanceof SysException sys)) {
            return e;
        }
        Throwable cause = sys.getCause() instanceof SysException inner ? translated(inner) : sys.getCause();
        NetnsException translated = new NetnsException(sys.operation(), sys.errno(), sys.detail(), cause);
        translated.setStackTrace(sys.getStackTrace());
        for (Throwable suppressed : sys.getSuppressed()) {
            translated.addSuppressed(suppressed);
        }
        return translated;
    }
}
