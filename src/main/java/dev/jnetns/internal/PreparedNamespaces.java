package dev.jnetns.internal;

import com.sun.jna.LastErrorException;
import dev.jnetns.internal.sys.LibC;
import dev.jnetns.internal.sys.NsFiles;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fresh namespaces (with {@code lo} up) made ahead on a background platform thread, so that a test can take one
 * at the cost of a {@code setns} instead of an {@code unshare}; each comes with a rtnetlink socket and a view of
 * its socket counters opened inside, which spare a thread's trip there for the test's rtnetlink handles and
 * for its leftovers check. Each is handed out at most once (a queue), was
 * entered by nothing but the thread that made it, and lives only as a descriptor of this process, so it cannot
 * outlive the JVM. When nobody takes one for the keep-alive time, the thread closes what it prepared and ends.
 * The thread runs at {@code SCHED_IDLE}: only on a CPU nothing else wants.
 *
 * <p>System property {@value #PREPARED_PROPERTY}: how many to keep ready (default 2; 0 turns it off).
 */
public final class PreparedNamespaces {
    /** System property: how many namespaces to keep ready; 0 turns preparing off. */
    public static final String PREPARED_PROPERTY = "jnetns.prepared";

    private static final PreparedNamespaces SHARED = new PreparedNamespaces(
            Integer.getInteger(PREPARED_PROPERTY, 2), Long.getLong(WorkerPool.KEEP_ALIVE_PROPERTY, 2000L));

    private final int depth;
    private final long keepAliveMillis;
    private final ArrayBlockingQueue<FreshNetns> ready;
    private final Object signal = new Object();
    private Thread filler;
    private static final long RETRY_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Until when (System.nanoTime) not to prepare, after a failure; 0 if none. */
    private volatile long retryAfter;

    private volatile long lastTake;
    private final java.util.Set<Integer> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final java.util.concurrent.locks.ReentrantLock away = new java.util.concurrent.locks.ReentrantLock();

    PreparedNamespaces(int depth, long keepAliveMillis) {
        this.depth = Math.max(0, depth);
        this.keepAliveMillis = keepAliveMillis;
        this.ready = new ArrayBlockingQueue<>(Math.max(1, this.depth));
    }

    public static PreparedNamespaces shared() {
        return SHARED;
    }

    /**
     * A fresh namespace with {@code lo} up (and the spares opened inside), now the caller's to close, or
     * null if none is ready (the caller then makes one itself). Either way the background thread is asked to
     * prepare more.
     */
    public FreshNetns take() {
        long pause = retryAfter;
        if (depth == 0 || (pause != 0 && System.nanoTime() - pause < 0)) {
            return null;
        }
        lastTake = System.nanoTime();
        FreshNetns fresh = ready.poll();
        if (fresh != null) {
            disown(fresh);
        }
        (fresh == null ? misses : hits).incrementAndGet();
        wake();
        return fresh;
    }

    /**
     * Whether descriptor {@code fd} is the supply's own: of a namespace being prepared, waiting in the queue or
     * being closed (its descriptor or its spare socket), not yet handed out; for jnetns' own tests, which must
     * tell those from leaked descriptors.
     */
    public boolean holdsReady(int fd) {
        return owned.contains(fd);
    }

    /**
     * Runs {@code look} while the preparing thread is in its home namespace, not inside one it is making; for
     * jnetns' own tests, which look for threads left in a closed namespace by its inode number: the kernel hands
     * a freed number to the next namespace made, which may be one being prepared, with the preparing thread
     * inside for a moment.
     */
    public <T> T whileHome(java.util.function.Supplier<T> look) {
        away.lock();
        try {
            return look.get();
        } finally {
            away.unlock();
        }
    }

    /** How many takes found a namespace ready, and how many found none; for benchmarks and diagnostics. */
    public long[] hitsAndMisses() {
        return new long[] {hits.get(), misses.get()};
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
                startAtHome(filler);
            } else {
                signal.notifyAll();
            }
        }
    }

    /**
     * Starts {@code thread} from a thread in the home namespace: a new thread inherits its creator's namespace,
     * and the caller may be a test's thread inside its namespace, where the preparing thread must never be seen.
     */
    private static void startAtHome(Thread thread) {
        WorkerPool pool = WorkerPool.shared();
        if (NsFiles.currentIno() == pool.home().ino()) {
            thread.start();
            return;
        }
        Worker worker = pool.acquire();
        try {
            worker.run(() -> {
                thread.start();
                return null;
            });
        } finally {
            pool.release(worker);
        }
    }

    private void fill() {
        WorkerPool pool = WorkerPool.shared();
        long home = pool.home().ino();
        try {
            // the tests come first: on a busy machine the takers then make their own namespaces, as without this
            LibC.sched_setscheduler(0, LibC.SCHED_IDLE, new int[] {0});
        } catch (LastErrorException e) {
            // works as well at normal priority, only competes with the tests for the CPU
        }
        try {
            if (NsFiles.currentIno() != home) { // a thread inherits its creator's namespace
                LibC.setns(pool.home().fd(), LibC.CLONE_NEWNET);
            }
            while (true) {
                while (ready.size() < depth) {
                    FreshNetns fresh = prepareOne(pool);
                    watchAhead(fresh);
                    ready.add(fresh);
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
            // cannot prepare now (no privilege, out of descriptors, could not go home): takers make their own, and
            // a new thread tries again after a pause, so that a passing failure does not last for the JVM's life
            retryAfter = System.nanoTime() + RETRY_PAUSE_NANOS;
            drain();
        }
    }

    /** Has the watchdog watch {@code fresh} now, in the background, so that the test that takes it need not. */
    private static void watchAhead(FreshNetns fresh) {
        try {
            Watchdog.watchAhead(fresh.nsFd(), fresh.ino());
        } catch (RuntimeException e) {
            // not watched yet: the test that takes it has it watched
        }
    }

    private FreshNetns prepareOne(WorkerPool pool) {
        away.lock();
        try {
            return prepareOneAway(pool);
        } finally {
            away.unlock();
        }
    }

    private FreshNetns prepareOneAway(WorkerPool pool) {
        if (pool.home().oneWay()) {
            return prepareOnThrowawayThread();
        }
        try {
            LibC.unshare(LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw NsFiles.failure("unshare(CLONE_NEWNET)", e);
        }
        FreshNetns fresh = null;
        RuntimeException failure = null;
        try {
            int nsFd = NsFiles.openNetns(NsFiles.THREAD_SELF_NET);
            owned.add(nsFd);
            try {
                fresh = FreshNetns.completeHere(nsFd, true, true, owned::add, owned::remove);
            } catch (RuntimeException e) {
                owned.remove(nsFd); // closed by completeHere
                throw e;
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            // a setns that succeeds has moved the thread into the home descriptor's namespace: no look needed
            LibC.setns(pool.home().fd(), LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            IllegalStateException stuck = new IllegalStateException("jnetns-prepare could not go home; it ends", e);
            if (failure != null) {
                stuck.addSuppressed(failure);
            }
            failure = stuck;
        }
        if (failure != null) {
            if (fresh != null) { // made, but nobody will take it
                fresh.close();
                disown(fresh);
            }
            throw failure;
        }
        return fresh;
    }

    /**
     * Where threads never return home ({@link HomeNetns#oneWay()}): the namespace is made on a thread of its own,
     * started here (at home, so it starts there), which stays inside and ends.
     */
    private FreshNetns prepareOnThrowawayThread() {
        FreshNetns[] made = new FreshNetns[1];
        ThrowawayThread.run("jnetns-prepare-one", () -> {
            try {
                int nsFd = ThrowawayThread.unshareHere();
                owned.add(nsFd);
                try {
                    made[0] = FreshNetns.completeHere(nsFd, true, true, owned::add, owned::remove);
                } catch (RuntimeException e) {
                    owned.remove(nsFd); // closed by completeHere
                    throw e;
                }
                return nsFd;
            } finally {
                WorkerPool.shared().home().leaveForExit(); // not to linger in what it made
            }
        });
        return made[0];
    }

    private void disown(FreshNetns fresh) {
        for (int fd : fresh.descriptors()) {
            owned.remove(fd);
        }
    }

    private void drain() {
        // away from home's lock too, so that whileHome never looks in the middle of it
        away.lock();
        try {
            FreshNetns fresh;
            while ((fresh = ready.poll()) != null) {
                // closed before it is disowned: this thread runs at SCHED_IDLE and may wait long between the two,
                // and meanwhile its descriptors must not look like anybody else's
                fresh.close();
                disown(fresh);
            }
        } finally {
            away.unlock();
        }
    }

    /** The preparing thread, or null if none was started or it ended after its keep-alive; for tests. */
    public Thread preparingThread() {
        synchronized (signal) {
            return filler;
        }
    }

    /** Whether the supply holds nothing and has no thread (it ended after its keep-alive); for tests. */
    public boolean isIdle() {
        synchronized (signal) {
            return (filler == null || !filler.isAlive()) && ready.isEmpty() && owned.isEmpty();
        }
    }
}
