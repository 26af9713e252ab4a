package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;
import java.net.InetAddress;
import java.time.Duration;

/**
 * An IP address assigned to a link ({@code RTM_NEWADDR}), as {@link Rtnl#addresses()} reads it.
 *
 * @param linkIndex the link's index
 * @param prefix the address and its prefix length
 * @param scope the scope ({@link #SCOPE_UNIVERSE} 0, {@link #SCOPE_SITE} 200, {@link #SCOPE_LINK} 253,
 *     {@link #SCOPE_HOST} 254)
 * @param flags the {@code IFA_F_*} flags (e.g. {@code IFA_F_NODAD} 0x02, {@code IFA_F_TENTATIVE} 0x40,
 *     {@code IFA_F_PERMANENT} 0x80, {@code IFA_F_NOPREFIXROUTE} 0x200)
 * @param label the IPv4 label ({@code IFA_LABEL}), or {@code null}
 * @param peer the other end of a point-to-point address ({@code IFA_ADDRESS} when it differs from
 *     {@code IFA_LOCAL}), or {@code null}
 * @param validLifetime what is left of the valid lifetime ({@code IFA_CACHEINFO}), or {@code null} for forever
 * @param preferredLifetime what is left of the preferred lifetime, or {@code null} for forever
 */
public record Address(
        int linkIndex,
        IpPrefix prefix,
        int scope,
        int flags,
        String label,
        InetAddress peer,
        Duration validLifetime,
        Duration preferredLifetime) {

    /** Scope universe (global). */
    public static final int SCOPE_UNIVERSE = 0;
    /** Scope site (IPv6 site-local, deprecated by the RFCs but still a scope). */
    public static final int SCOPE_SITE = 200;
    /** Scope link. */
    public static final int SCOPE_LINK = 253;
    /** Scope host. */
    public static final int SCOPE_HOST = 254;

    /** Whether IPv6 duplicate address detection has not finished yet (the address is not usable). */
    public boolean isTentative() {
        return (flags & Nl.IFA_F_TENTATIVE) != 0;
    }

    /** Whether its preferred lifetime is over ({@code IFA_F_DEPRECATED}): it works, but new connections avoid it. */
    public boolean isDeprecated() {
        return (flags & Nl.IFA_F_DEPRECATED) != 0;
    }

    /** Whether it was added without lifetimes ({@code IFA_F_PERMANENT}): it stays until deleted. */
    public boolean isPermanent() {
        return (flags & Nl.IFA_F_PERMANENT) != 0;
    }

    /** Whether the option's flag is set. */
    public boolean has(AddressOption option) {
        return (flags & option.flag()) != 0;
    }

    /** Whether this is an IPv6 address. */
    public boolean isIpv6() {
        return prefix.isIpv6();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(prefix.toString());
        if (peer != null) {
            s.append(" peer ").append(IpPrefix.format(peer));
        }
        s.append(" on link ").append(linkIndex).append(" scope ").append(scope);
        if (label != null) {
            s.append(" label ").append(label);
        }
        if (validLifetime != null) {
            s.append(" valid_lft ").append(validLifetime.toSeconds());
        }
        if (preferredLifetime != null) {
            s.append(" preferred_lft ").append(preferredLifetime.toSeconds());
        }
        return s.append(isTentative() ? " tentative" : "").toString();
    }
}
