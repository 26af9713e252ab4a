package dev.jnetns.link;

import dev.jnetns.internal.netlink.Nl;
import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlMessage;
import java.nio.ByteBuffer;

/**
 * A link's counters as the kernel reported them at one moment ({@code IFLA_STATS64}, the kernel's
 * {@code struct rtnl_link_stats64}; {@code IFLA_STATS} with 32-bit counters when a kernel sends no 64-bit ones),
 * what {@code ip -s link} shows. Read with {@link Rtnl#stats(Link)}. They count since the link was made and also
 * count what the kernel sends by itself (IPv6 neighbour and router solicitations, for example), so a test compares
 * them with at least what it sent, or two snapshots with each other.
 *
 * @param rxPackets packets received
 * @param txPackets packets transmitted
 * @param rxBytes bytes received
 * @param txBytes bytes transmitted
 * @param rxErrors receive errors
 * @param txErrors transmit errors
 * @param rxDropped received packets dropped (e.g. no room, or no protocol to take them)
 * @param txDropped packets dropped before transmission
 * @param multicast multicast packets received
 * @param collisions collisions
 */
public record LinkStats(
        long rxPackets,
        long txPackets,
        long rxBytes,
        long txBytes,
        long rxErrors,
        long txErrors,
        long rxDropped,
        long txDropped,
        long multicast,
        long collisions) {

    /** The counters this record holds: the first ten of the kernel's struct, in its order. */
    private static final int FIELDS = 10;

    /**
     * The counters of an {@code RTM_NEWLINK} message, or {@code null} when it carries none; rejects malformed ones
     * (a statistics attribute shorter than its ten counters) with a NetlinkFormatException.
     */
    static LinkStats decode(NlMessage m) {
        m.familyHeader(Nl.IFINFOMSG_LEN, "ifinfomsg");
        NlAttrs a = m.attributes(Nl.IFINFOMSG_LEN);
        if (a.has(Nl.IFLA_STATS64)) {
            ByteBuffer b = a.struct(Nl.IFLA_STATS64, FIELDS * Long.BYTES);
            long[] v = new long[FIELDS];
            for (int i = 0; i < FIELDS; i++) {
                v[i] = b.getLong(i * Long.BYTES);
            }
            return of(v);
        }
        if (a.has(Nl.IFLA_STATS)) {
            ByteBuffer b = a.struct(Nl.IFLA_STATS, FIELDS * Integer.BYTES);
            long[] v = new long[FIELDS];
            for (int i = 0; i < FIELDS; i++) {
                v[i] = Integer.toUnsignedLong(b.getInt(i * Integer.BYTES));
            }
            return of(v);
        }
        return null;
    }

    private static LinkStats of(long[] v) {
        return new LinkStats(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }

    /** For example {@code LinkStats[rx 12 packets 1032 bytes, tx 10 packets 876 bytes]}, with any errors. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("LinkStats[rx ")
                .append(rxPackets)
                .append(" packets ")
                .append(rxBytes)
                .append(" bytes, tx ")
                .append(txPackets)
                .append(" packets ")
                .append(txBytes)
                .append(" bytes");
        if (rxErrors != 0 || txErrors != 0) {
            s.append(", errors rx ").append(rxErrors).append(" tx ").append(txErrors);
        }
        if (rxDropped != 0 || txDropped != 0) {
            s.append(", dropped rx ").append(rxDropped).append(" tx ").append(txDropped);
        }
        if (multicast != 0) {
            s.append(", multicast ").append(multicast);
        }
        if (collisions != 0) {
            s.append(", collisions ").append(collisions);
        }
        return s.append(']').toString();
    }
}
