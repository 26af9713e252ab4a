package dev.jnetns.internal;

import dev.jnetns.internal.sys.NsFiles;

/**
 * The namespace jnetns' threads return to: a descriptor held open for the life of the JVM, and its inode, by
 * which a thread checks that it arrived.
 *
 * @param fd the namespace's descriptor
 * @param ino its inode
 */
public record HomeNetns(int fd, long ino) {
    /**
     * The namespace of the process's main thread ({@code /proc/self/ns/net}), or, where a sandbox denies that,
     * the calling thread's.
     */
    static HomeNetns ofProcess() {
        int fd;
        try {
            fd = NsFiles.openNetns("/proc/self/ns/net");
        } catch (RuntimeException e) {
            fd = NsFiles.openNetns(NsFiles.THREAD_SELF_NET);
        }
        return new HomeNetns(fd, NsFiles.identify(fd)[1]);
    }
}
