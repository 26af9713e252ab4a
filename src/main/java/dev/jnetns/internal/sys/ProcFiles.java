package dev.jnetns.internal.sys;

import com.sun.jna.LastErrorException;
import java.nio.charset.StandardCharsets;

/** Small {@code /proc} files read with three system calls, about half what NIO's file machinery costs. */
public final class ProcFiles {
    private static final int MAX = 256;

    private ProcFiles() {}

    /** The start (at most 256 bytes) of the file at {@code path}; null if it cannot be read. */
    public static String readSmall(String path) {
        int fd;
        try {
            fd = LibC.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            return null;
        }
        try {
            byte[] buf = new byte[MAX];
            long n = LibC.read(fd, buf, buf.length);
            return new String(buf, 0, (int) n, StandardCharsets.US_ASCII);
        } catch (LastErrorException e) {
            return null;
        } finally {
            NsFiles.close(fd);
        }
    }
}
