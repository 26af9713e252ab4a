package dev.jnetns.link;

/**
 * The two ends of a veth pair as created by {@link Rtnl#createVeth(LinkSpec)}. Each snapshot records the
 * namespace it lives in ({@link Link#netnsIno()}).
 *
 * @param local the end named by the spec's {@code name}
 * @param peer the end named by the spec's {@code peer}
 */
public record VethPair(Link local, Link peer) {}
