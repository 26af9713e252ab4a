package dev.jnetns.link;

/** RFC 2863 operational state of a link ({@code IFLA_OPERSTATE}), as {@code ip link} shows it. */
public enum OperState {
    /** The driver does not report a state (e.g. {@code lo}, a tap with a reader); counts as up. */
    UNKNOWN,
    /** Not present. */
    NOTPRESENT,
    /** Down. */
    DOWN,
    /** Down because a lower device is down (e.g. a veth whose peer is down). */
    LOWERLAYERDOWN,
    /** Testing. */
    TESTING,
    /** Dormant. */
    DORMANT,
    /** Up. */
    UP;

    /** The state for the kernel's number; numbers it does not know map to {@link #UNKNOWN}. */
    public static OperState of(int value) {
        OperState[] all = values();
        return value >= 0 && value < all.length ? all[value] : UNKNOWN;
    }
}
