package dev.jnetns.link;

/**
 * A queueing discipline as read by {@link Rtnl#qdiscs()} ({@code RTM_NEWQDISC}).
 *
 * @param linkIndex the link's index
 * @param kind {@code tbf}, {@code noqueue}, {@code pfifo_fast}...
 * @param handle the handle ({@code 0x80010000} is {@code 8001:})
 * @param parent the parent handle ({@code 0xffffffff} for root)
 * @param rateBytesPerSecond for tbf: the rate; 0 otherwise
 * @param burstBytes for tbf: the bucket size derived from the kernel's buffer time, as tc prints it; 0 otherwise
 * @param limitBytes for tbf: the queue limit; 0 otherwise
 */
public record Qdisc(
        int linkIndex, String kind, int handle, int parent, long rateBytesPerSecond, long burstBytes, long limitBytes) {

    /** Whether it is the link's root qdisc. */
    public boolean isRoot() {
        return parent == 0xFFFFFFFF;
    }

    /** The handle as tc prints it, e.g. {@code 8001:}. */
    public String handleString() {
        return Integer.toHexString(handle >>> 16) + ":"
                + ((handle & 0xffff) != 0 ? Integer.toHexString(handle & 0xffff) : "");
    }

    @Override
    public String toString() {
        String s = kind + " " + handleString() + " on link " + linkIndex + (isRoot() ? " root" : "");
        return kind.equals("tbf")
                ? s + " rate " + rateBytesPerSecond + "B/s burst " + burstBytes + "B limit " + limitBytes + "B"
                : s;
    }
}
