package dev.jnetns.link;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * An entry of a namespace's neighbour table (ARP for IPv4, NDP for IPv6; {@code RTM_NEWNEIGH}), as
 * {@link Rtnl#neighbours()} reads it and {@code ip neigh} shows it.
 *
 * @param linkIndex the link's index
 * @param address the neighbour's IP address
 * @param mac its link-layer address as lower-case {@code aa:bb:cc:dd:ee:ff}, or {@code null} while unresolved
 * @param state the {@code NUD_*} state bits, e.g. {@link #PERMANENT}, {@link #REACHABLE}, {@link #STALE}
 * @param flags the {@code NTF_*} flags (e.g. {@code NTF_ROUTER} 0x80)
 */
public record Neighbour(int linkIndex, InetAddress address, String mac, int state, int flags) {
    /** {@code NUD_INCOMPLETE}: resolution under way. */
    public static final int INCOMPLETE = 0x01;
    /** {@code NUD_REACHABLE}: confirmed recently. */
    public static final int REACHABLE = 0x02;
    /** {@code NUD_STALE}: known, not confirmed lately. */
    public static final int STALE = 0x04;
    /** {@code NUD_DELAY}: waiting before probing. */
    public static final int DELAY = 0x08;
    /** {@code NUD_PROBE}: probing. */
    public static final int PROBE = 0x10;
    /** {@code NUD_FAILED}: resolution failed. */
    public static final int FAILED = 0x20;
    /** {@code NUD_NOARP}: needs no resolution (e.g. multicast). */
    public static final int NOARP = 0x40;
    /** {@code NUD_PERMANENT}: set by hand, never expires nor is probed. */
    public static final int PERMANENT = 0x80;

    private static final String[] NAMES = {
        "INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NOARP", "PERMANENT"
    };

    /** Whether it was set by hand and stays ({@code NUD_PERMANENT}). */
    public boolean isPermanent() {
        return (state & PERMANENT) != 0;
    }

    /** The state as {@code ip neigh} names it: {@code PERMANENT}, {@code REACHABLE}, {@code STALE,DELAY}... */
    public String stateName() {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < NAMES.length; bit++) {
            if ((state & (1 << bit)) != 0) {
                names.add(NAMES[bit]);
            }
        }
        return names.isEmpty() ? "NONE" : String.join(",", names);
    }

    /** For example {@code 10.1.0.2 lladdr 02:00:00:00:00:02 on link 3 PERMANENT}. */
    @Override
    public String toString() {
        return IpPrefix.format(address) + (mac != null ? " lladdr " + mac : "") + " on link " + linkIndex + " "
                + stateName();
    }
}
