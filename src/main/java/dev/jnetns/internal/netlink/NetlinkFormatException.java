package dev.jnetns.internal.netlink;

import dev.jnetns.internal.sys.SysException;

/**
 * A netlink message or attribute that is truncated or malformed: a length shorter than its header, a length
 * past the end of its buffer or parent, an attribute too short for its type. Thrown by the parser instead of
 * ever reading out of bounds.
 */
public final class NetlinkFormatException extends SysException {
    private static final long serialVersionUID = 1L;

    /**
     * @param what what was being parsed, e.g. {@code nlmsghdr at 32}
     * @param detail what is wrong with it
     */
    public NetlinkFormatException(String what, String detail) {
        super("netlink parse " + what, "malformed: " + detail);
    }
}
