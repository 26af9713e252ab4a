package dev.jnetns.link;

import dev.jnetns.internal.netlink.NetlinkFormatException;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlBuilder;
import dev.jnetns.internal.netlink.NlMessage;

/**
 * {@code RTM_GETNSID} and {@code RTM_NEWNSID} requests, and the {@code RTM_NEWNSID} replies: the ids under which
 * one namespace knows others (a {@code struct rtgenmsg}, then {@code NETNSA_*} attributes).
 */
final class NetnsIdMessages {
    private NetnsIdMessages() {}

    private static NlBuilder header(int type, int flags) {
        return new NlBuilder(type, flags).raw(new byte[] {(byte) Nl.AF_UNSPEC});
    }

    /** The id the requesting socket's namespace gives the namespace open as {@code fd}. */
    static NlBuilder get(int fd) {
        return header(Nl.RTM_GETNSID, 0).u32(Nl.NETNSA_FD, fd);
    }

    /** Gives the namespace open as {@code fd} the id {@code id}, or any free one for {@code -1}. */
    static NlBuilder set(int fd, int id) {
        return header(Nl.RTM_NEWNSID, 0).u32(Nl.NETNSA_FD, fd).u32(Nl.NETNSA_NSID, id);
    }

    /** Every id the requesting socket's namespace has given. */
    static NlBuilder dump() {
        return header(Nl.RTM_GETNSID, 0);
    }

    /**
     * The id ({@code NETNSA_NSID}, signed: {@link Nl#NETNSA_NSID_NOT_ASSIGNED} for none) of an {@code RTM_NEWNSID}.
     *
     * @throws NetlinkFormatException if the message is malformed or has no id
     */
    static int decode(NlMessage m) {
        m.familyHeader(1, "rtgenmsg");
        NlAttrs a = m.attributes(Nl.RTGENMSG_LEN);
        if (!a.has(Nl.NETNSA_NSID)) {
            throw new NetlinkFormatException("RTM_NEWNSID", "no NETNSA_NSID attribute");
        }
        return a.u32(Nl.NETNSA_NSID);
    }
}
