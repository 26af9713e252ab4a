package dev.jnetns;

import com.sun.jna.LastErrorException;
import dev.jnetns.internal.Worker;
import dev.jnetns.internal.WorkerPool;
import dev.jnetns.internal.sys.Errno;
import dev.jnetns.internal.sys.LibC;
import dev.jnetns.internal.sys.Loopback;
import dev.jnetns.internal.sys.NsFiles;

/**
 * Persistent namespaces bind-mounted under {@code /run/netns}, laid out as iproute2 lays them out, and safe against
 * crashes and other processes.
 *
 * <p>Every change happens under a BSD lock on the {@code /run/netns} directory itself (not a file in it, which
 * {@code ip netns list} would show as a namespace). The lock serialises jnetns JVMs and threads alike and dies with
 * its process, so a crash never leaves it held. Under it, a name's file is in one of three states: absent, a
 * mounted namespace, or a placeholder a crash left between creating the file and mounting onto it. The last is
 * taken over, so a crash costs nothing but the placeholder until the next {@code newNamed} or
 * {@code deleteNamed} of that name. {@code lo} is brought up before the mount, so a mounted namespace never has it
 * down.
 */
final class NamedNetns {
    private static final int MAX_STACKED_MOUNTS = 64;

    private NamedNetns() {}

    static NsFd create(String name) {
        String path = NetnsNames.path(name);
        String operation = "newNamed(" + name + ")";
        DirLock lock = DirLock.preparing();
        try {
            claim(path, operation);
            try {
                mountNewNamespace(path);
                return NsFd.ofPath(path);
            } catch (RuntimeException e) {
                removeMountPoint(path);
                throw NetnsException.translated(e);
            }
        } finally {
            lock.close();
        }
    }

    static void delete(String name) {
        String path = NetnsNames.path(name);
        String operation = "deleteNamed(" + name + ")";
        DirLock lock = DirLock.existing(operation);
        try {
            // a name mounted twice (iproute2 racing us, or an old jnetns) needs one unmount per mount; EINVAL
            // at once means a placeholder a crash left, never mounted
            for (int unmounted = 0; ; unmounted++) {
                try {
                    LibC.umount2(path, LibC.MNT_DETACH);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == Errno.EINVAL) {
                        break;
                    }
                    throw new NetnsException(operation, e.getErrorCode(), "umount " + path, e);
                }
                if (unmounted == MAX_STACKED_MOUNTS) {
                    throw new NetnsException(
                            operation, Errno.EBUSY, "still mounted after " + unmounted + " unmounts", null);
                }
            }
            try {
                LibC.unlink(path);
            } catch (LastErrorException e) {
                throw new NetnsException(operation, e.getErrorCode(), "unlink " + path, e);
            }
        } finally {
            lock.close();
        }
    }

    /** Makes {@code path} a file of ours to mount onto: a new one, or a placeholder a crash left behind. */
    private static void claim(String path, String operation) {
        try {
            NsFiles.close(LibC.open(path, LibC.O_RDONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC, 0));
            return;
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.EEXIST) {
                throw new NetnsException(operation, e.getErrorCode(), "cannot create " + path, e);
            }
        }
        long[] file;
        try {
            file = NsFiles.identify(path);
        } catch (RuntimeException e) {
            throw new NetnsException(operation, Errno.EEXIST, "cannot create " + path + ": it exists", e);
        }
        boolean mountedNamespace = file[0] == NsFiles.identify(NsFiles.THREAD_SELF_NET)[0];
        boolean placeholder = !mountedNamespace && (file[2] & 0170000) == 0100000;
        if (!placeholder) {
            throw new NetnsException(
                    operation,
                    Errno.EEXIST,
                    mountedNamespace
                            ? "the name is taken: a namespace is mounted at " + path
                            : "cannot create " + path + ": something else is there",
                    null);
        }
        // an unmounted regular file: what a crash between creating and mounting leaves; mount onto it
    }

    private static void mountNewNamespace(String path) {
        WorkerPool pool = WorkerPool.shared();
        Worker worker = pool.acquire();
        try {
            worker.run(() -> {
                NsFiles.close(worker.unshareHere());
                try {
                    Loopback.up();
                    LibC.mount(NsFiles.THREAD_SELF_NET, path, "none", LibC.MS_BIND, null);
                } catch (LastErrorException e) {
                    throw NetnsException.of("mount(" + NsFiles.THREAD_SELF_NET + ", " + path + ", MS_BIND)", e);
                } finally {
                    worker.restoreHere(null);
                }
                return null;
            });
        } finally {
            pool.release(worker);
        }
    }

    private static void removeMountPoint(String path) {
        try {
            LibC.umount2(path, LibC.MNT_DETACH);
        } catch (LastErrorException ignored) {
            // not mounted
        }
        try {
            LibC.unlink(path);
        } catch (LastErrorException ignored) {
            // already gone
        }
    }

    /** The lock on {@code /run/netns}, held from opening the directory until {@link #close()}. */
    private static final class DirLock implements AutoCloseable {
        private final int fd;

        private DirLock(int fd) {
            this.fd = fd;
        }

        /** Makes {@code /run/netns} as iproute2 does (a shared mount point) and locks it. */
        static DirLock preparing() {
            try {
                LibC.mkdir(Netns.NAMED_DIR, 0755);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EEXIST) {
                    throw dirFailure("mkdir(" + Netns.NAMED_DIR + ")", e);
                }
            }
            DirLock lock = open("newNamed");
            try {
                makeSharedMountPoint();
                return lock;
            } catch (RuntimeException e) {
                lock.close();
                throw e;
            }
        }

        /** Locks {@code /run/netns}, which must exist. */
        static DirLock existing(String operation) {
            return open(operation);
        }

        private static DirLock open(String operation) {
            int fd;
            try {
                fd = LibC.open(Netns.NAMED_DIR, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
            } catch (LastErrorException e) {
                throw dirFailure(operation + ": open(" + Netns.NAMED_DIR + ")", e);
            }
            try {
                LibC.flock(fd, LibC.LOCK_EX);
            } catch (LastErrorException e) {
                NsFiles.close(fd);
                throw dirFailure(operation + ": flock(" + Netns.NAMED_DIR + ")", e);
            }
            // the lock is on the directory's inode, which a self-bind mount shares: it holds before and after
            return new DirLock(fd);
        }

        /**
         * As iproute2: mounts under {@code /run/netns} must propagate, so it is made a shared mount point, bound
         * onto itself first if it is not a mount point yet. Under the lock, so two processes never bind it twice.
         */
        private static void makeSharedMountPoint() {
            boolean boundToItself = false;
            while (true) {
                try {
                    LibC.mount("", Netns.NAMED_DIR, "none", LibC.MS_SHARED | LibC.MS_REC, null);
                    return;
                } catch (LastErrorException e) {
                    if (e.getErrorCode() != Errno.EINVAL || boundToItself) {
                        throw dirFailure("mount(" + Netns.NAMED_DIR + ", MS_SHARED)", e);
                    }
                }
                try {
                    LibC.mount(Netns.NAMED_DIR, Netns.NAMED_DIR, "none", LibC.MS_BIND | LibC.MS_REC, null);
                    boundToItself = true;
                } catch (LastErrorException e) {
                    throw dirFailure("mount(" + Netns.NAMED_DIR + ", MS_BIND)", e);
                }
            }
        }

        private static NetnsException dirFailure(String operation, LastErrorException e) {
            int errno = e.getErrorCode();
            boolean denied = errno == Errno.EPERM || errno == Errno.EACCES;
            return new NetnsException(
                    operation,
                    errno,
                    denied
                            ? "named namespaces are mounts under " + Netns.NAMED_DIR
                                    + ", which needs root (CAP_SYS_ADMIN over the"
                                    + " host's mounts); under `unshare -Urn` use transient namespaces"
                                    + " (Netns.newTransient())"
                            : null,
                    e);
        }

        @Override
        public void close() {
            NsFiles.close(fd); // closing the last descriptor of the open file frees the lock
        }
    }
}
