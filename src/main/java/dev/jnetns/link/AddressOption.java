package dev.jnetns.link;

/** Options for {@link Rtnl#addAddress(Link, IpPrefix, AddressOption...)}. */
public enum AddressOption {
    /**
     * Skip IPv6 duplicate address detection ({@code IFA_F_NODAD}): the address is usable at once instead of
     * being tentative for a second or two. No effect on IPv4.
     */
    NO_DAD
}
