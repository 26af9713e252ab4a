package dev.jnetns.internal;

import dev.jnetns.internal.sys.LibC;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One platform thread that runs work inside network namespaces for callers that wait for it. A worker is
 * entered into a namespace with {@link #enter}, runs any number of tasks there with {@link #run}, and goes
 * home with {@link #restore}, which checks the thread's namespace by inode. A worker whose restore failed is
 * <em>retired</em>: its thread ends and never runs other code.
 */
public final class Worker {
    /** Work for a worker; anything it throws reaches the waiting caller unchanged. */
    @FunctionalInterface
    public interface Task<T> {
        T run() throws Throwable;
    }

    private static final AtomicInteger COUNTER = new AtomicInteger();
    /** How often a caller waiting for its worker checks that the worker's thread is still alive. */
    private static final long HAND_OVER_CHECK_MILLIS = 1000;

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Worker.class.getName());

    private final WorkerPool pool;
    private final Thread thread;
    private final SynchronousQueue<Job<?>> inbox = new SynchronousQueue<>();
    private final ThreadNetns netns;
    private volatile long idleSince;
    private volatile int tid;
    private volatile boolean busy;
    private volatile boolean abandoned;

    Worker(WorkerPool pool) {
        this.pool = pool;
        // No inherited thread-locals: the worker serves every caller, not just the one that happened to start it.
        this.thread = new Thread(null, this::loop, "jnetns-worker-" + COUNTER.incrementAndGet(), 0, false);
        this.netns = new ThreadNetns(pool.home(), thread.getName());
        this.thread.setDaemon(true);
        // A task's own failures reach its caller; this sees only what broke the worker itself.
        this.thread.setUncaughtExceptionHandler(
                (t, e) -> LOG.log(java.util.logging.Level.WARNING, t.getName() + " ended by " + e, e));
    }

    void start() {
        pool.startAtHome(thread);
        // a new thread inherits its creator's namespace, which may be a test's: it goes home first
        run(() -> {
            tid = LibC.gettid();
            netns.settleAtHome();
            return null;
        });
    }

    /** The worker thread's kernel thread id, as in {@code /proc/self/task}. */
    public int tid() {
        return tid;
    }

    /** Whether the worker is running a task now. */
    public boolean isBusy() {
        return busy;
    }

    /**
     * Waits up to {@code millis} for the worker to finish its current task, interrupting it first.
     *
     * @return whether it is idle now
     */
    public boolean interruptAndAwaitIdle(long millis) {
        if (!busy) {
            return true;
        }
        thread.interrupt();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (busy && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !busy;
    }

    /**
     * Gives up on a worker that is still running a task nobody waits for any more (a test that timed out): when
     * the task ends, the worker goes home if it can and its thread ends. It is never handed out again.
     */
    public void abandon() {
        abandoned = true;
        if (!busy) {
            // it may be waiting for work: wake it so it ends
            thread.interrupt();
        }
    }

    /** Waits up to {@code millis} for the worker's thread to end (after {@link #abandon}). */
    void awaitEnd(long millis) {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (thread.isAlive() && System.nanoTime() < deadline) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The worker's thread, e.g. to tell it from other threads in a namespace. */
    public Thread thread() {
        return thread;
    }

    /** Whether the worker's thread has ended because it could not return home. */
    public boolean isRetired() {
        return netns.isStuck();
    }

    /** Whether the worker is inside a namespace other than its home. */
    public boolean isAway() {
        return netns.isAway();
    }

    long idleSince() {
        return idleSince;
    }

    void markIdle() {
        idleSince = System.nanoTime();
    }

    /** Moves the worker into {@code nsFd} (a descriptor), checked to be {@code expectedIno} unless that is 0. */
    public void enter(int nsFd, long expectedIno, String label) {
        run(() -> {
            enterHere(nsFd, expectedIno, label);
            return null;
        });
    }

    /**
     * Runs {@code task} inside the namespace {@code nsFd} and brings the worker home afterwards, all in one
     * hand-over. Whatever {@code task} throws reaches the caller unchanged; if the worker cannot return home it
     * is retired and the caller gets that failure instead (with the task's own failure suppressed in it), and a
     * result that is {@link AutoCloseable} is closed, since nobody receives it.
     */
    public <T> T runIn(int nsFd, long expectedIno, String label, Task<T> task) {
        if (pool.home().oneWay()) {
            return run(() -> runInOneWay(nsFd, expectedIno, label, task));
        }
        return run(() -> {
            enterHere(nsFd, expectedIno, label);
            T result;
            try {
                result = task.run();
            } catch (Throwable failure) {
                restoreHere(failure);
                throw failure;
            }
            try {
                restoreHere(null);
            } catch (RuntimeException e) {
                closeUnreceived(result, e);
                throw e;
            }
            return result;
        });
    }

    /**
     * {@link #runIn} where threads never return home: the worker enters {@code nsFd} unless it is there already
     * (a scope's worker runs every piece of its test there) and stays; released, it ends.
     */
    private <T> T runInOneWay(int nsFd, long expectedIno, String label, Task<T> task) throws Throwable {
        if (expectedIno == 0 || !netns.isIn(expectedIno)) {
            if (isAway()) {
                throw new IllegalStateException(thread.getName() + " is inside another namespace, which it can never"
                        + " leave here; it cannot run work for " + label);
            }
            enterHere(nsFd, expectedIno, label);
        }
        return task.run();
    }

    private static void closeUnreceived(Object result, RuntimeException failure) {
        if (result instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }

    /**
     * Brings the worker back home and checks that it arrived. If it cannot, the worker is retired (its thread
     * ends) and the exception says so.
     */
    public void restore() {
        run(() -> {
            restoreHere(null);
            return null;
        });
    }

    /**
     * On the worker's thread: setns into {@code nsFd} and, unless {@code expectedIno} is 0, check that this is
     * the namespace meant.
     */
    public void enterHere(int nsFd, long expectedIno, String label) {
        checkOnThread();
        netns.enter(nsFd, expectedIno, label);
    }

    /** On the worker's thread: unshare a new namespace, stay in it, and return a descriptor of it. */
    public int unshareHere() {
        checkOnThread();
        return netns.unshare();
    }

    /**
     * On the worker's thread: make a new namespace (with {@code lo} up if asked, and the view of its socket counters
     * opened if asked, see {@link FreshNetns}) and come back home; return it, the caller then owning its descriptors.
     */
    public FreshNetns makeFreshHere(boolean loopbackUp, boolean viewSockets) {
        checkOnThread();
        return netns.makeFresh(loopbackUp, viewSockets);
    }

    /**
     * On the worker's thread: go home and check it by inode; if that fails, the worker is retired and this
     * throws, with {@code earlier} (the task's own failure, if any) suppressed in the exception.
     */
    public void restoreHere(Throwable earlier) {
        checkOnThread();
        netns.goHome(earlier);
    }

    private void checkOnThread() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("must run on " + thread.getName());
        }
    }

    /**
     * Runs {@code task} on this worker and waits for it. If the caller is interrupted while waiting, the worker
     * is interrupted too and the caller goes on waiting; its interrupt status is set again on return.
     */
    public <T> T run(Task<T> task) {
        return awaitSneaky(submit(task));
    }

    /**
     * Runs a task and rethrows whatever it throws, checked or not, unchanged.
     */
    @SuppressWarnings("unchecked")
    private <T, E extends Throwable> T awaitSneaky(Job<T> job) throws E {
        job.await(thread);
        if (job.failure != null) {
            throw (E) job.failure;
        }
        return job.result;
    }

    private <T> Job<T> submit(Task<T> task) {
        if (isRetired() || abandoned || !thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " is retired");
        }
        Job<T> job = new Job<>(task, Thread.currentThread().getContextClassLoader());
        busy = true; // cleared by the worker when the job is done
        // The worker is waiting for work: hand it over even if the caller is interrupted (the interrupt is kept
        // for the caller), but never wait for a thread that has ended.
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (inbox.offer(job, HAND_OVER_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                        return job;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (!thread.isAlive()) {
                    busy = false;
                    throw new IllegalStateException(thread.getName() + " has ended; it cannot take the work");
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (!isRetired() && !abandoned) {
            Job<?> job;
            try {
                job = inbox.poll(pool.keepAliveNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException late) {
                continue; // meant for a task that has finished
            }
            if (job == null) {
                if (pool.retireIdle(this)) {
                    return;
                }
                continue;
            }
            job.execute(this);
            Thread.interrupted(); // an interrupt meant for one task must not reach the next
        }
        if (abandoned && !isRetired() && isAway()) {
            try {
                netns.goHome(null);
            } catch (RuntimeException e) {
                // retired: the thread ends here either way
            }
        }
    }

    @Override
    public String toString() {
        return thread.getName();
    }

    private static final class Job<T> {
        private final Task<T> task;
        private volatile boolean done;
        private T result;
        private Throwable failure;

        private final ClassLoader callerLoader;

        Job(Task<T> task, ClassLoader callerLoader) {
            this.task = task;
            this.callerLoader = callerLoader;
        }

        void execute(Worker worker) {
            Thread self = Thread.currentThread();
            self.setContextClassLoader(callerLoader); // as if the caller ran it: ServiceLoader and friends
            try {
                result = task.run();
            } catch (Throwable t) {
                failure = t;
            } finally {
                self.setContextClassLoader(null);
                worker.busy = false; // before the caller wakes up, so it finds the worker idle
                synchronized (this) {
                    done = true;
                    notifyAll();
                }
            }
        }

        void await(Thread worker) {
            boolean interrupted = false;
            synchronized (this) {
                while (!done) {
                    try {
                        wait(HAND_OVER_CHECK_MILLIS);
                    } catch (InterruptedException e) {
                        interrupted = true;
                        worker.interrupt();
                    }
                    if (!done && !worker.isAlive()) { // ended without finishing (an Error past the task's finally)
                        failure = new IllegalStateException(worker.getName() + " ended before it finished the work");
                        done = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
