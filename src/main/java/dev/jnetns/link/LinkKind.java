package dev.jnetns.link;

import dev.jnetns.NsFd;
import dev.jnetns.internal.netlink.NlBuilder;

/**
 * One kind of link ({@code IFLA_INFO_KIND}): its name, the prefix of its random names, and the attributes it
 * sends in {@code IFLA_INFO_DATA}. Adding a kind means one subclass and one factory method on {@link LinkSpec}.
 */
abstract class LinkKind {
    private final String name;
    private final String namePrefix;

    LinkKind(String name, String namePrefix) {
        this.name = name;
        this.namePrefix = namePrefix;
    }

    /** The kernel's name for the kind, e.g. {@code vxlan}. */
    final String name() {
        return name;
    }

    /** How random names of this kind begin, e.g. {@code vx}. */
    final String namePrefix() {
        return namePrefix;
    }

    /**
     * Writes this kind's typed attributes into the open {@code IFLA_INFO_DATA} nest.
     *
     * @param m the request, inside {@code IFLA_INFO_DATA}
     * @param spec the whole spec (for settings all kinds share, such as the MTU)
     * @param peer a veth peer's name (null for other kinds)
     * @param peerNs where a veth's peer goes (null: the requesting socket's namespace)
     */
    void encodeData(NlBuilder m, LinkSpec spec, String peer, NsFd peerNs) {}

    /** Whether {@link #encodeData} writes anything; without it or raw attributes no nest is sent. */
    boolean sendsData() {
        return false;
    }

    /**
     * Whether {@code IFLA_INFO_DATA} of this kind is a list of attributes that raw ones can be added to; not for
     * veth (its data is a peer's {@code ifinfomsg}) and tap (made with an ioctl, not with netlink).
     */
    boolean acceptsRawData() {
        return true;
    }

    /** This kind's typed values, as {@code "vni 42"}, for the message of a refused creation. */
    java.util.List<String> valuesForMessages() {
        return java.util.List.of();
    }

    /**
     * Why a link this kind refers to cannot be used from the namespace {@code ino} (it was read from another),
     * or null if it can.
     */
    String foreignReference(long ino) {
        return null;
    }
}
