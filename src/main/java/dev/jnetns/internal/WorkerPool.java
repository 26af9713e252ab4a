package dev.jnetns.internal;

import dev.jnetns.internal.sys.NsFiles;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * Idle {@link Worker}s, all at home. Taking one is cheap when one is idle; otherwise a new platform thread is
 * started (and sent home first, since a thread inherits its creator's namespace). Idle workers end after a
 * keep-alive time, so a quiet JVM holds no jnetns threads.
 */
public final class WorkerPool {
    /** System property: how long an idle worker thread lives, in milliseconds (default 2000). */
    public static final String KEEP_ALIVE_PROPERTY = "jnetns.worker.keepAliveMillis";

    /** How long a release waits for a worker that can never come home to end (it ends at once). */
    private static final long END_WAIT_MILLIS = 1000;

    private static volatile WorkerPool shared;

    private final HomeNetns home;
    private final long keepAliveNanos;
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final HomeStarter starter;

    /** A pool whose workers return to {@code home}; the pool does not close it. */
    public WorkerPool(HomeNetns home, long keepAliveMillis) {
        this.home = home;
        this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveMillis);
        this.starter = home.oneWay() ? HomeStarter.startHere(home) : null;
    }

    /**
     * Starts {@code thread} in the home namespace: a new thread inherits its creator's namespace, and where threads
     * never return ({@link HomeNetns#oneWay()}) one started inside a test's could never get home.
     */
    void startAtHome(Thread thread) {
        if (starter == null || NsFiles.currentIno() == home.ino()) {
            thread.start();
        } else {
            starter.start(thread);
        }
    }

    /**
     * The pool whose home is the namespace of the process's main thread ({@code /proc/self/ns/net}) when jnetns
     * is first used, held open for the life of the JVM.
     */
    public static WorkerPool shared() {
        WorkerPool pool = shared;
        if (pool == null) {
            synchronized (WorkerPool.class) {
                pool = shared;
                if (pool == null) {
                    pool = new WorkerPool(HomeNetns.ofProcess(), Long.getLong(KEEP_ALIVE_PROPERTY, 2000L));
                    shared = pool;
                    JdkChannels.primeAtHome(pool); // before any code runs in a namespace of jnetns
                }
            }
        }
        return pool;
    }

    /** Where the workers live when idle. */
    public HomeNetns home() {
        return home;
    }

    long keepAliveNanos() {
        return keepAliveNanos;
    }

    /** An idle worker, at home, for the caller's exclusive use until {@link #release}. */
    public Worker acquire() {
        Worker worker;
        while ((worker = idle.pollFirst()) != null) {
            if (!worker.isRetired() && worker.thread().isAlive()) {
                return worker;
            }
        }
        worker = new Worker(this);
        worker.start();
        return worker;
    }

    /**
     * Gives a worker back. A worker still away from home is sent home first; one that is retired (could not go
     * home) or still busy (a task nobody waits for) is not kept, and its thread ends.
     */
    public void release(Worker worker) {
        if (worker.isRetired()) {
            return;
        }
        if (worker.isBusy()) {
            worker.abandon(); // ends when its task does; never handed out again
            return;
        }
        if (worker.isAway() && home.oneWay()) {
            // it can never come back: it ends, and its hold on the namespace with it, before the caller goes on
            worker.abandon();
            worker.awaitEnd(END_WAIT_MILLIS);
            return;
        }
        if (worker.isAway()) {
            try {
                worker.restore();
            } catch (RuntimeException e) {
                return; // retired
            }
        }
        worker.markIdle();
        idle.addFirst(worker);
    }

    /** Called by an idle worker whose keep-alive ran out: true if it was idle and may end. */
    boolean retireIdle(Worker worker) {
        return idle.remove(worker);
    }

    /** How many workers are idle now; for tests and diagnostics. */
    public int idleCount() {
        return idle.size();
    }
}
