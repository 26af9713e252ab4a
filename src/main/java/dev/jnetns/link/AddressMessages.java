package dev.jnetns.link;

import dev.jnetns.internal.netlink.NetlinkFormatException;
import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlBuilder;
import dev.jnetns.internal.netlink.NlMessage;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** {@code RTM_NEWADDR}/{@code RTM_DELADDR} requests and {@code ifaddrmsg} replies. */
final class AddressMessages {
    private AddressMessages() {}

    static NlBuilder encode(int type, int nlFlags, int linkIndex, IpPrefix prefix, int ifaFlags) {
        int family = prefix.isIpv6() ? Nl.AF_INET6 : Nl.AF_INET;
        byte[] bytes = prefix.address().getAddress();
        NlBuilder m = new NlBuilder(type, nlFlags)
                .ifaddrmsg(family, prefix.prefixLength(), ifaFlags & 0xff, 0, linkIndex)
                .attr(Nl.IFA_LOCAL, bytes)
                .attr(Nl.IFA_ADDRESS, bytes);
        if (ifaFlags != 0) {
            m.u32(Nl.IFA_FLAGS, ifaFlags);
        }
        return m;
    }

    /** The address, or null for a family other than IPv4 and IPv6 (e.g. MCTP's), which a dump skips. */
    static Address decode(NlMessage m) {
        ByteBuffer h = m.familyHeader(Nl.IFADDRMSG_LEN, "ifaddrmsg");
        int family = h.get(0) & 0xff;
        if (family != Nl.AF_INET && family != Nl.AF_INET6) {
            return null;
        }
        int prefixLen = h.get(1) & 0xff;
        int flags = h.get(2) & 0xff;
        int scope = h.get(3) & 0xff;
        int index = h.getInt(4);
        NlAttrs a = m.attributes(Nl.IFADDRMSG_LEN);
        int which = a.has(Nl.IFA_LOCAL) ? Nl.IFA_LOCAL : Nl.IFA_ADDRESS;
        InetAddress address = inet(family, a.bytes(which), "ifaddrmsg");
        if (a.has(Nl.IFA_FLAGS)) {
            flags = a.u32(Nl.IFA_FLAGS);
        }
        String label = a.has(Nl.IFA_LABEL) ? a.string(Nl.IFA_LABEL) : null;
        IpPrefix prefix;
        try {
            prefix = new IpPrefix(address, prefixLen);
        } catch (IllegalArgumentException e) {
            throw new NetlinkFormatException("ifaddrmsg", e.getMessage());
        }
        return new Address(index, prefix, scope, flags, label);
    }

    /** An address of {@code family} from raw bytes, rejecting a length that does not fit. */
    static InetAddress inet(int family, byte[] bytes, String where) {
        int expected = family == Nl.AF_INET ? 4 : family == Nl.AF_INET6 ? 16 : -1;
        if (bytes.length != expected) {
            throw new NetlinkFormatException(where, "address of " + bytes.length + " bytes for family " + family);
        }
        try {
            return family == Nl.AF_INET6 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new NetlinkFormatException(where, e.getMessage());
        }
    }
}
