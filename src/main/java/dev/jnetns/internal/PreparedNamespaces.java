package dev.jnetns.internal;

import com.sun.jna.LastErrorException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Fresh namespaces (with {@code lo} up) made ahead on a background platform thread, so that a test can take one
 * at the cost of a {@code setns} instead of an {@code unshare}. Each is handed out at most once (a queue), was
 * entered by nothing but the thread that made it, and lives only as a descriptor of this process, so it cannot
 * outlive the JVM. When nobody takes one for the keep-alive time, the thread closes what it prepared and ends.
 *
 * <p>System property {@value #DEPTH_PROPERTY}: how many to keep ready (default 2; 0 turns it off).
 */
public final class PreparedNamespaces {
    /** System property: how many namespaces to keep ready; 0 turns preparing off. */
    public static final String DEPTH_PROPERTY = "jnetns.prepared";

    private static final PreparedNamespaces SHARED =
            new PreparedNamespaces(Integer.getInteger(DEPTH_PROPERTY, 2), Long.getLong(WorkerPool.KEEP_ALIVE_PROPERTY, 2000L));

    private final int depth;
    private final long keepAliveMillis;
    private final ArrayBlockingQueue<Integer> ready;
    private final Object signal = new Object();
    private Thread filler;
    private volatile boolean failed;
    private volatile long lastTake;
    private final java.util.LinkedHashSet<Long> made = new java.util.LinkedHashSet<>();

    PreparedNamespaces(int depth, long keepAliveMillis) {
        this.depth = Math.max(0, depth);
        this.keepAliveMillis = keepAliveMillis;
        this.ready = new ArrayBlockingQueue<>(Math.max(1, this.depth));
    }

    public static PreparedNamespaces shared() {
        return SHARED;
    }

    /**
     * A descriptor of a fresh namespace with {@code lo} up, now the caller's to close, or -1 if none is ready
     * (the caller then makes one itself). Either way the background thread is asked to prepare more.
     */
    public int take() {
        if (depth == 0 || failed) {
            return -1;
        }
        lastTake = System.nanoTime();
        Integer fd = ready.poll();
        wake();
        return fd == null ? -1 : fd;
    }

    /**
     * Whether the namespace with inode {@code ino} was made by this supply (handed out or not); for jnetns' own
     * tests, which must tell the supply's descriptors from leaked ones. Remembers the most recent 4096.
     */
    public boolean wasPrepared(long ino) {
        synchronized (made) {
            return made.contains(ino);
        }
    }

    /** How many are ready now; for tests and diagnostics. */
    public int readyCount() {
        return ready.size();
    }

    private void wake() {
        synchronized (signal) {
            if (filler == null || !filler.isAlive()) {
                filler = new Thread(this::fill, "jnetns-prepare");
                filler.setDaemon(true);
                filler.start();
            } else {
                signal.notifyAll();
            }
        }
    }

    private void fill() {
        WorkerPool pool = WorkerPool.shared();
        long home = pool.home().ino();
        try {
            if (NsFiles.currentIno() != home) { // a thread inherits its creator's namespace
                LibC.setns(pool.home().fd(), LibC.CLONE_NEWNET);
            }
            while (true) {
                while (ready.size() < depth) {
                    int fd = prepareOne(pool, home);
                    remember(NsFiles.identify(fd)[1]);
                    ready.add(fd);
                }
                synchronized (signal) {
                    signal.wait(keepAliveMillis);
                    boolean idle = System.nanoTime() - lastTake > TimeUnit.MILLISECONDS.toNanos(keepAliveMillis);
                    if (idle && ready.size() >= depth) {
                        drain();
                        filler = null;
                        return;
                    }
                }
            }
        } catch (RuntimeException | InterruptedException e) {
            // cannot prepare here (no privilege, or could not go home): takers make their own
            failed = true;
            drain();
        }
    }

    private static int prepareOne(WorkerPool pool, long home) {
        try {
            LibC.unshare(LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw NsFiles.failure("unshare(CLONE_NEWNET)", e);
        }
        int fd = -1;
        try {
            fd = NsFiles.openNetns(NsFiles.THREAD_SELF_NET);
            Loopback.up();
        } catch (RuntimeException e) {
            if (fd >= 0) {
                NsFiles.close(fd);
            }
            throw e;
        } finally {
            try {
                LibC.setns(pool.home().fd(), LibC.CLONE_NEWNET);
            } catch (LastErrorException e) {
                throw new IllegalStateException("jnetns-prepare could not go home; it ends", e);
            }
            if (NsFiles.currentIno() != home) {
                throw new IllegalStateException("jnetns-prepare is not home after setns; it ends");
            }
        }
        return fd;
    }

    private void remember(long ino) {
        synchronized (made) {
            made.remove(ino); // inode numbers are reused: keep the newest order
            made.add(ino);
            if (made.size() > 4096) {
                made.remove(made.iterator().next());
            }
        }
    }

    private void drain() {
        Integer fd;
        while ((fd = ready.poll()) != null) {
            NsFiles.close(fd);
        }
    }
}
