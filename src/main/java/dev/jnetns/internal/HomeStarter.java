package dev.jnetns.internal;

import dev.jnetns.internal.sys.NsFiles;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One thread that stays in the home namespace for the life of the JVM and starts threads there for callers that
 * are elsewhere: where threads never return ({@link HomeNetns#oneWay()}), a thread started inside a test's
 * namespace could never reach home, since a new thread inherits its creator's namespace.
 */
final class HomeStarter {
    private final ThreadPoolExecutor executor;

    private HomeStarter(ThreadPoolExecutor executor) {
        this.executor = executor;
    }

    /** The starter, its thread started now by the caller, which must be at home. */
    static HomeStarter startHere(HomeNetns home) {
        if (NsFiles.currentIno() != home.ino()) {
            throw new IllegalStateException("jnetns was first used from a thread outside the JVM's network namespace"
                    + " net:[" + home.ino() + "], which no thread can enter from outside here: use it first from a"
                    + " thread at home (e.g. JUnit's)");
        }
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(null, r, "jnetns-home", 0, false);
                    t.setDaemon(true);
                    return t;
                });
        executor.prestartCoreThread(); // created here, at home; it never leaves
        return new HomeStarter(executor);
    }

    /** Starts {@code thread} from the home thread and waits until it has started. */
    void start(Thread thread) {
        CompletableFuture<Void> started = CompletableFuture.runAsync(thread::start, executor);
        boolean interrupted = false;
        while (true) {
            try {
                started.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the start is quick and must not be left half done
            } catch (ExecutionException e) {
                throw new IllegalStateException("could not start " + thread.getName() + " at home", e.getCause());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
