/**
 * An rtnetlink client in pure Java: links, addresses, routes and queueing disciplines of one network namespace,
 * without running {@code ip} or {@code tc}.
 *
 * <p>Everything starts from an {@link dev.jnetns.link.Rtnl} handle, bound to one namespace for life:
 *
 * <pre>{@code
 * try (NsFd a = Netns.newTransient(); NsFd b = Netns.newTransient();
 *      Rtnl ra = Rtnl.open(a); Rtnl rb = Rtnl.open(b)) {
 *     VethPair veth = ra.createVeth(LinkSpec.veth("a0").peer("b0").peerNetns(b).up());
 *     ra.addAddress(veth.local(), "10.1.0.1/24");
 *     rb.addAddress(veth.peer(), "10.1.0.2/24");
 *     ra.addRoute(Route.defaultVia("10.1.0.2"));
 *     ra.addQdisc(veth.local(), QdiscSpec.tbf(125_000, 4096, Duration.ofMillis(400)));
 *     ra.waitUntilUp(veth.local(), Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.jnetns.link.Link} is an immutable snapshot (index, name, kind, MAC, MTU, flags, operational
 *       state, master, alias, and the namespace it was read from); the change methods return the new snapshot.
 *   <li>{@link dev.jnetns.link.LinkSpec} describes a link to create: veth, bridge, vxlan, macvlan, tap, dummy or
 *       any kind with raw {@code IFLA_INFO_DATA}. Without a name a random one is used.
 *   <li>{@link dev.jnetns.link.IpPrefix} parses CIDR strings without DNS; {@link dev.jnetns.link.Address},
 *       {@link dev.jnetns.link.Route}, {@link dev.jnetns.link.QdiscSpec} and {@link dev.jnetns.link.Qdisc} cover the
 *       rest.
 * </ul>
 *
 * <p>Failures are {@link dev.jnetns.NetnsException}s naming the request, the errno and the kernel's extended-ack
 * text, e.g. {@code RTM_NEWLINK dummy "d0": EOPNOTSUPP (Operation not supported): Unknown device type}. Invalid
 * names and CIDRs fail with {@link java.lang.IllegalArgumentException} before any system call.
 */
package dev.jnetns.link;
