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
import java.nio.ByteOrder;
import java.time.Duration;

/** {@code RTM_NEWADDR}/{@code RTM_DELADDR} requests and {@code ifaddrmsg} replies. */
final class AddressMessages {
    private AddressMessages() {}

    static NlBuilder encode(int type, int nlFlags, int linkIndex, AddressSpec spec) {
        IpPrefix prefix = spec.prefix();
        int family = prefix.isIpv6() ? Nl.AF_INET6 : Nl.AF_INET;
        byte[] local = prefix.address().getAddress();
        int flags = spec.flags();
        NlBuilder m = new NlBuilder(type, nlFlags)
                .ifaddrmsg(family, prefix.prefixLength(), flags & 0xff, spec.scope(), linkIndex)
                .attr(Nl.IFA_LOCAL, local)
                .attr(Nl.IFA_ADDRESS, spec.peer() != null ? spec.peer().getAddress() : local);
        if (spec.label() != null) {
            m.string(Nl.IFA_LABEL, spec.label());
        }
        if (flags != 0) {
            m.u32(Nl.IFA_FLAGS, flags);
        }
        if (spec.hasLifetimes()) {
            long valid = spec.validLifetime() != null ? spec.validLifetime().toSeconds() : Nl.INFINITY_LIFE_TIME;
            long preferred =
                    spec.preferredLifetime() != null ? spec.preferredLifetime().toSeconds() : valid;
            byte[] info = ByteBuffer.allocate(Nl.IFA_CACHEINFO_LEN)
                    .order(ByteOrder.nativeOrder())
                    .putInt((int) preferred)
                    .putInt((int) valid)
                    .array();
            m.attr(Nl.IFA_CACHEINFO, info);
        }
        return m;
    }

    /**
     * A delete request, as iproute2 sends it: the kernel matches the local address, the prefix length and (IPv4)
     * {@code IFA_ADDRESS}, which is the peer when there is one, else the local address again.
     */
    static NlBuilder delete(int linkIndex, IpPrefix prefix, InetAddress peer) {
        int family = prefix.isIpv6() ? Nl.AF_INET6 : Nl.AF_INET;
        byte[] bytes = prefix.address().getAddress();
        return new NlBuilder(Nl.RTM_DELADDR, 0)
                .ifaddrmsg(family, prefix.prefixLength(), 0, 0, linkIndex)
                .attr(Nl.IFA_LOCAL, bytes)
                .attr(Nl.IFA_ADDRESS, peer != null ? peer.getAddress() : bytes);
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
        // IFA_ADDRESS differs from IFA_LOCAL only for a point-to-point address: it is then the peer
        InetAddress peer = null;
        if (which == Nl.IFA_LOCAL && a.has(Nl.IFA_ADDRESS)) {
            InetAddress other = inet(family, a.bytes(Nl.IFA_ADDRESS), "ifaddrmsg IFA_ADDRESS");
            peer = other.equals(address) ? null : other;
        }
        if (a.has(Nl.IFA_FLAGS)) {
            flags = a.u32(Nl.IFA_FLAGS);
        }
        String label = a.has(Nl.IFA_LABEL) ? a.string(Nl.IFA_LABEL) : null;
        Duration valid = null;
        Duration preferred = null;
        if (a.has(Nl.IFA_CACHEINFO)) {
            byte[] info = a.bytes(Nl.IFA_CACHEINFO);
            if (info.length < Nl.IFA_CACHEINFO_LEN) {
                throw new NetlinkFormatException(
                        "ifaddrmsg IFA_CACHEINFO", info.length + " bytes, needs " + Nl.IFA_CACHEINFO_LEN);
            }
            ByteBuffer ci = ByteBuffer.wrap(info).order(ByteOrder.nativeOrder());
            preferred = lifetime(ci.getInt(0));
            valid = lifetime(ci.getInt(4));
        }
        IpPrefix prefix;
        try {
            prefix = new IpPrefix(address, prefixLen);
        } catch (IllegalArgumentException e) {
            throw new NetlinkFormatException("ifaddrmsg", e.getMessage());
        }
        return new Address(index, prefix, scope, flags, label, peer, valid, preferred);
    }

    /** A u32 lifetime in seconds; {@code INFINITY_LIFE_TIME} is forever ({@code null}). */
    private static Duration lifetime(int seconds) {
        long s = Integer.toUnsignedLong(seconds);
        return s == Nl.INFINITY_LIFE_TIME ? null : Duration.ofSeconds(s);
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
