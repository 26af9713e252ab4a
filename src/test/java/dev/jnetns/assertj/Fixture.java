package dev.jnetns.assertj;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.link.AddressOption;
import dev.jnetns.link.Link;
import dev.jnetns.link.LinkSpec;
import dev.jnetns.link.Route;
import dev.jnetns.link.Rtnl;
import dev.jnetns.link.VethPair;
import java.time.Duration;

/**
 * Real state in two transient namespaces, nothing in the host's:
 *
 * <pre>
 * a: lo, a0 (veth to b0, up, 10.1.0.1/24 + fd00:1::1/64, alias "uplink"), default routes via 10.1.0.2 and
 *    fd00:1::2, 10.9.0.0/16 via 10.1.0.2; br0 (bridge, up) with port p0 (veth, MTU 1400, up) whose peer p1 is up
 *    and promiscuous; d0/d1 (veth, both down)
 * b: lo, b0 (up, 10.1.0.2/24)
 * </pre>
 */
final class Fixture implements AutoCloseable {
    final NsFd a;
    final NsFd b;
    final Rtnl ra;
    final Rtnl rb;
    final Link a0;
    final Link b0;
    final Link br0;
    final Link p0;
    final Link p1;
    final Link d0;

    Fixture() {
        a = Netns.newTransient();
        b = Netns.newTransient();
        ra = Rtnl.open(a);
        rb = Rtnl.open(b);
        VethPair ab = ra.createVeth(LinkSpec.veth("a0").peer("b0").peerNetns(b).up());
        ra.addAddress(ab.local(), "10.1.0.1/24");
        ra.addAddress(ab.local(), "fd00:1::1/64", AddressOption.NO_DAD);
        rb.addAddress(ab.peer(), "10.1.0.2/24");
        ra.setAlias(ab.local(), "uplink");
        ra.addRoute(Route.defaultVia("10.1.0.2"));
        ra.addRoute(Route.defaultVia("fd00:1::2"));
        ra.addRoute(Route.to("10.9.0.0/16").via("10.1.0.2"));
        br0 = ra.create(LinkSpec.bridge("br0").up());
        VethPair port = ra.createVeth(LinkSpec.veth("p0").peer("p1").mtu(1400).up());
        ra.setMaster(port.local(), br0);
        ra.setPromiscuous(port.peer(), true);
        d0 = ra.createVeth(LinkSpec.veth("d0").peer("d1")).local();
        a0 = ra.waitUntilUp(ab.local(), Duration.ofSeconds(5));
        b0 = rb.waitUntilUp(ab.peer(), Duration.ofSeconds(5));
        p0 = ra.link("p0");
        p1 = ra.link("p1");
    }

    /** {@code net:[INODE]} of namespace a. */
    String aName() {
        return "net:[" + a.ino() + "]";
    }

    /** {@code net:[INODE]} of namespace b. */
    String bName() {
        return "net:[" + b.ino() + "]";
    }

    @Override
    public void close() {
        ra.close();
        rb.close();
        a.close();
        b.close();
    }
}
