package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;

/**
 * Flags of an address request ({@code IFA_F_*}), for {@link Rtnl#addAddress(Link, IpPrefix, AddressOption...)} and
 * {@link AddressSpec#options(AddressOption...)}. Read back in {@link Address#flags()}.
 */
public enum AddressOption {
    /**
     * Skip IPv6 duplicate address detection ({@code IFA_F_NODAD}, {@code ip addr add ... nodad}): the address is
     * usable at once instead of being tentative for a second or two. No effect on IPv4.
     */
    NO_DAD(Nl.IFA_F_NODAD),
    /**
     * Add no prefix route for the address's prefix ({@code IFA_F_NOPREFIXROUTE}, {@code noprefixroute}): the
     * namespace gets the address but no route to its subnet.
     */
    NO_PREFIX_ROUTE(Nl.IFA_F_NOPREFIXROUTE),
    /** IPv6 optimistic duplicate address detection ({@code IFA_F_OPTIMISTIC}, RFC 4429). */
    OPTIMISTIC(Nl.IFA_F_OPTIMISTIC),
    /** IPv6 Mobile IP home address ({@code IFA_F_HOMEADDRESS}, {@code home}). */
    HOME_ADDRESS(Nl.IFA_F_HOMEADDRESS),
    /** IPv6: make temporary (privacy) addresses from this one ({@code IFA_F_MANAGETEMPADDR}, {@code mngtmpaddr}). */
    MANAGE_TEMP_ADDRESS(Nl.IFA_F_MANAGETEMPADDR);

    private final int flag;

    AddressOption(int flag) {
        this.flag = flag;
    }

    /** The {@code IFA_F_*} bit. */
    int flag() {
        return flag;
    }
}
