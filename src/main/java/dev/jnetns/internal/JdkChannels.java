package dev.jnetns.internal;

import dev.jnetns.internal.sys.NsFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Has the JDK make, at home, the Unix socket pair it makes on the first use of a NIO channel (JDK 25: socket channel) and keeps one end of
 * for the JVM's life (its "pre-close" descriptor, dup'ed over descriptors closed under other threads' feet). Made
 * in the namespace of the thread that uses the first channel, that socket would keep a test's namespace alive
 * until the JVM ends, were a test's code the first to read a file with {@code Files.readString}.
 */
final class JdkChannels {
    private JdkChannels() {}

    /**
     * Opens and closes a file channel and a socket channel on a thread at home (the caller, if it is there); once
     * per JVM is enough.
     */
    static void primeAtHome(WorkerPool pool) {
        if (NsFiles.currentIno() == pool.home().ino()) {
            openOne();
            return;
        }
        Worker worker = pool.acquire();
        try {
            worker.run(() -> {
                openOne();
                return null;
            });
        } finally {
            pool.release(worker);
        }
    }

    private static void openOne() {
        // JDK 17 makes the pair for the first channel of any kind, JDK 25 for the first socket channel
        try (FileChannel file = FileChannel.open(Path.of("/proc/self/stat"));
                SocketChannel socket = SocketChannel.open()) {
            file.size();
            socket.isOpen();
        } catch (IOException e) {
            // best effort: without it the JDK makes its pair where the first channel is used, as it would anyway
        }
    }
}
