package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;

/**
 * An IP address assigned to a link ({@code RTM_NEWADDR}).
 *
 * @param linkIndex the link's index
 * @param prefix the address and its prefix length
 * @param scope the scope (0 global, 253 link, 254 host)
 * @param flags the {@code IFA_F_*} flags (e.g. {@code IFA_F_NODAD} 0x02, {@code IFA_F_TENTATIVE} 0x40)
 * @param label the IPv4 label ({@code IFA_LABEL}), or {@code null}
 */
public record Address(int linkIndex, IpPrefix prefix, int scope, int flags, String label) {
    /** Whether IPv6 duplicate address detection has not finished yet (the address is not usable). */
    public boolean isTentative() {
        return (flags & Nl.IFA_F_TENTATIVE) != 0;
    }

    /** Whether this is an IPv6 address. */
    public boolean isIpv6() {
        return prefix.isIpv6();
    }

    @Override
    public String toString() {
        return prefix + " on link " + linkIndex + " scope " + scope + (isTentative() ? " tentative" : "");
    }
}
