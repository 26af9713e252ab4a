package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.testing.Ip;
import dev.jnetns.testing.NoFdLeaks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A handle is bound to its namespace for life, whichever thread uses it, and is safe to share. */
@ExtendWith(NoFdLeaks.class)
class HandleTest {

    private static List<String> names(List<Link> links) {
        return links.stream().map(Link::name).collect(Collectors.toList());
    }

    @Test
    void aFreshNamespaceListsOnlyLoPlusWhatTheTestMade() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            List<Link> links = rtnl.links();
            assertThat(names(links)).containsExactly("lo");
            Link lo = links.get(0);
            assertThat(lo.index()).isEqualTo(1);
            assertThat(lo.kind()).isNull();
            assertThat(lo.isUp()).isTrue(); // Netns.newTransient() brings lo up
            assertThat(lo.operState()).isEqualTo(OperState.UNKNOWN);
            assertThat(lo.isOperationallyUp()).isTrue();
            assertThat(lo.mac()).isEqualTo("00:00:00:00:00:00");
            assertThat(lo.mtu()).isEqualTo(65536);
            assertThat(lo.netnsIno()).isEqualTo(ns.ino());
            assertThat(rtnl.netnsIno()).isEqualTo(ns.ino());

            rtnl.createVeth(LinkSpec.veth("one0").peer("one1"));
            assertThat(names(rtnl.links()))
                    .containsExactly("lo", "one1", "one0")
                    .isEqualTo(Ip.linkNames(ns));
        }
    }

    @Test
    void theSocketStaysInItsNamespaceWhicheverThreadUsesIt() throws Exception {
        long hostIno;
        try (NsFd here = NsFd.current()) {
            hostIno = here.ino();
        }
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            assertThat(rtnl.netnsIno()).isNotEqualTo(hostIno);
            rtnl.createVeth(LinkSpec.veth("bound0").peer("bound1"));
            List<String> expected = Ip.linkNames(ns);
            // from the test's own thread (in the host's namespace)
            assertThat(names(rtnl.links())).isEqualTo(expected);
            // from a brand-new thread
            AtomicReference<List<String>> fromThread = new AtomicReference<>();
            Thread t = new Thread(() -> fromThread.set(names(rtnl.links())));
            t.start();
            t.join();
            assertThat(fromThread.get()).isEqualTo(expected);
            // from a thread inside yet another namespace
            try (NsFd other = Netns.newTransient()) {
                assertThat(Netns.execute(other, () -> names(rtnl.links()))).isEqualTo(expected);
            }
            for (Link l : rtnl.links()) {
                assertThat(l.netnsIno()).isEqualTo(ns.ino());
            }
        }
    }

    @Test
    void everyWayOfOpeningBindsTheHandleToTheSameNamespace() {
        // the first handle on a namespace jnetns made takes the socket opened inside at creation; later ones, and
        // handles on namespaces opened by path, have a worker thread open one inside
        for (Netns.Lo lo : Netns.Lo.values()) {
            try (NsFd ns = Netns.newTransient(lo);
                    NsFd byPath = NsFd.ofPath("/proc/self/fd/" + ns.fd());
                    Rtnl first = Rtnl.open(ns);
                    Rtnl second = Rtnl.open(ns);
                    Rtnl third = Rtnl.open(byPath)) {
                first.createVeth(LinkSpec.veth("way0").peer("way1"));
                List<String> expected = Ip.linkNames(ns);
                assertThat(expected).contains("way0", "way1");
                for (Rtnl each : List.of(first, second, third)) {
                    assertThat(each.netnsIno()).isEqualTo(ns.ino());
                    assertThat(names(each.links())).as(each.toString()).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void aHandleOutlivesTheNamespaceHandleItWasOpenedFrom() {
        NsFd ns = Netns.newTransient();
        try (Rtnl rtnl = Rtnl.open(ns)) {
            ns.close();
            Link veth = rtnl.createVeth(LinkSpec.veth("after0").peer("after1")).local();
            assertThat(rtnl.link("after0")).isEqualTo(veth);
            assertThat(rtnl.netnsIno()).isEqualTo(ns.ino());
        }
    }

    @Test
    void largeDumpsSpanSeveralDatagramsAndAreReadWhole() {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            for (int i = 0; i < 40; i++) {
                rtnl.createVeth(LinkSpec.veth("big" + i).peer("peer" + i));
            }
            try (dev.jnetns.internal.netlink.NetlinkSocket s =
                    Netns.execute(ns, () -> dev.jnetns.internal.netlink.NetlinkSocket.open("large dump"))) {
                List<byte[]> datagrams = s.dumpRaw(
                        new dev.jnetns.internal.netlink.NlBuilder(dev.jnetns.internal.netlink.Nl.RTM_GETLINK, 0)
                                .ifinfomsg(0, 0, 0, 0),
                        "RTM_GETLINK dump");
                assertThat(datagrams).as("a multi-part dump").hasSizeGreaterThan(1);
            }
            List<String> mine = names(rtnl.links());
            assertThat(mine).hasSize(81).doesNotHaveDuplicates();
            assertThat(mine).containsExactlyElementsOf(Ip.linkNames(ns));
        }
    }

    @Test
    void multiPartDumpsStayConsistentWhileTheNamespaceChanges() throws Exception {
        // 300 addresses make a dump of several parts while a thread adds and deletes another address. A kernel
        // that flags such a dump NLM_F_DUMP_INTR has it repeated (that branch: DumpRetryTest); this one (6.18)
        // was seen flagging none in 95,000 dumps, so what is checked here is that no dump comes back torn.
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns);
                Rtnl churn = Rtnl.open(ns)) {
            Link many = rtnl.create(LinkSpec.bridge("many0"));
            for (int i = 0; i < 300; i++) {
                rtnl.addAddress(many, "10.20." + (i / 250) + "." + (i % 250 + 1) + "/16");
            }
            Link other = rtnl.create(LinkSpec.bridge("other0"));
            List<String> stable = new ArrayList<>();
            rtnl.addresses().forEach(a -> stable.add(a.toString()));
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<Throwable> churnFailed =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
            Thread changer = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        churn.addAddress(other, "10.30.0.1/24");
                        churn.deleteAddress(other, "10.30.0.1/24");
                        changes.incrementAndGet();
                    }
                } catch (Throwable e) {
                    churnFailed.set(e);
                }
            });
            changer.start();
            long retries;
            int dumps = 0;
            try (dev.jnetns.internal.netlink.NetlinkSocket s =
                    Netns.execute(ns, () -> dev.jnetns.internal.netlink.NetlinkSocket.open("churn"))) {
                while (dumps < 300 && churnFailed.get() == null) {
                    List<String> seen = new ArrayList<>();
                    int parts = s.dumpRaw(
                                    new dev.jnetns.internal.netlink.NlBuilder(
                                                    dev.jnetns.internal.netlink.Nl.RTM_GETADDR, 0)
                                            .ifaddrmsg(0, 0, 0, 0, 0),
                                    "RTM_GETADDR dump")
                            .size();
                    assertThat(parts).as("a multi-part dump").isGreaterThan(1);
                    for (dev.jnetns.internal.netlink.NlMessage m : s.dump(
                            new dev.jnetns.internal.netlink.NlBuilder(dev.jnetns.internal.netlink.Nl.RTM_GETADDR, 0)
                                    .ifaddrmsg(0, 0, 0, 0, 0),
                            "RTM_GETADDR dump")) {
                        Address a = AddressMessages.decode(m);
                        if (a != null && a.linkIndex() != other.index()) {
                            seen.add(a.toString());
                        }
                    }
                    // a dump torn by a concurrent change would repeat or miss addresses
                    assertThat(seen).containsExactlyElementsOf(stable);
                    dumps++;
                }
                retries = s.interruptedDumps();
            } finally {
                stop.set(true);
                changer.join();
            }
            assertThat(churnFailed.get()).as("the changing thread's failure").isNull();
            assertThat(changes.get()).as("changes while dumping").isPositive();
            System.out.println("dumps repeated after NLM_F_DUMP_INTR: " + retries + " of " + dumps);
        }
    }

    @Test
    void openCurrentBindsToTheCallingThreadsNamespace() {
        try (NsFd ns = Netns.newTransient()) {
            Rtnl rtnl = Netns.execute(ns, Rtnl::openCurrent);
            try (rtnl) {
                assertThat(rtnl.netnsIno()).isEqualTo(ns.ino());
                rtnl.create(LinkSpec.bridge("cur0"));
                assertThat(Ip.linkNames(ns)).containsExactlyInAnyOrder("lo", "cur0");
            }
        }
    }

    @Test
    void oneHandleServesManyThreadsAtOnce() throws Exception {
        try (NsFd ns = Netns.newTransient();
                Rtnl rtnl = Rtnl.open(ns)) {
            rtnl.createVeth(LinkSpec.veth("par0").peer("par1"));
            List<String> expected = names(rtnl.links());
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Boolean>> jobs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int n = i;
                    jobs.add(() -> {
                        for (int j = 0; j < 10; j++) {
                            if (!names(rtnl.links()).containsAll(expected)) {
                                return false;
                            }
                            if (rtnl.link("par0").index() <= 0
                                    || rtnl.addresses().isEmpty()) {
                                return false;
                            }
                        }
                        rtnl.create(LinkSpec.bridge("mt" + n));
                        return true;
                    });
                }
                for (Future<Boolean> f : pool.invokeAll(jobs)) {
                    assertThat(f.get()).isTrue();
                }
            } finally {
                pool.shutdown();
            }
            assertThat(Ip.linkNames(ns)).hasSize(3 + 8).contains("mt0", "mt7");
        }
    }
}
