package dev.jnetns.junit;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.link.AddressOption;
import dev.jnetns.link.IpPrefix;
import dev.jnetns.link.Link;
import dev.jnetns.link.LinkNames;
import dev.jnetns.link.LinkSpec;
import dev.jnetns.link.QdiscSpec;
import dev.jnetns.link.Rtnl;
import dev.jnetns.link.VethPair;
import java.lang.reflect.Parameter;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension behind {@link Veth}: makes a pair per parameter inside the test's namespaces, impaired as asked;
 * skips a test whose impairments need a qdisc this kernel lacks.
 */
final class VethExtension implements ParameterResolver, ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("jnetns: not a test method");
        }
        for (Parameter each : context.getTestMethod().get().getParameters()) {
            Optional<Veth> veth = Declared.annotation(each, Veth.class);
            QdiscSpec impairment;
            try {
                impairment = veth.isPresent() ? Impairments.of(veth.get()) : null;
            } catch (IllegalArgumentException e) {
                continue; // resolving the parameter says what is wrong
            }
            Optional<String> missing = impairment == null ? Optional.empty() : Impairments.missing(impairment);
            if (missing.isPresent()) {
                return ConditionEvaluationResult.disabled("@Veth parameter '" + each.getName() + "' asks for "
                        + impairment.kind() + " (" + impairment + "), which this kernel lacks: " + missing.get());
            }
        }
        return ConditionEvaluationResult.enabled("jnetns: the impairments' qdiscs are there");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.isAnnotated(Veth.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type != VethPair.class && type != Link.class) {
            throw new ParameterResolutionException("@Veth parameter " + TestNamespaces.describe(parameter)
                    + " must be a " + VethPair.class.getName() + " or a " + Link.class.getName() + ", not "
                    + type.getName());
        }
        Veth veth = parameter.findAnnotation(Veth.class).orElseThrow();
        Request request = validate(veth, parameter);
        NsFd local = TestNamespaces.codeNamespace(
                parameter,
                context,
                "@Veth parameter " + TestNamespaces.describe(parameter) + " puts its local end in the"
                        + " namespace the test runs in, so that no link is ever made in the host's");
        NsFd peer = veth.peerNetns().isEmpty()
                ? local
                : TestNamespaces.furtherNamespace(
                        parameter, context, veth.peerNetns(), peerLo(parameter, veth.peerNetns()));
        VethPair pair;
        try {
            pair = create(request, veth, local, peer);
        } catch (NetnsException e) {
            throw new ParameterResolutionException(
                    "@Veth parameter " + TestNamespaces.describe(parameter) + ": " + e.getMessage(), e);
        }
        return type == VethPair.class ? pair : pair.local();
    }

    /**
     * How {@code lo} is to be in the further namespace {@code name}: as the method's
     * {@code @TransientNetns(name) NsFd} parameters ask (they must agree), whichever is resolved first; null if
     * there is none. A pair has no wish of its own, so that it never overrides a parameter's {@code lo}.
     */
    private static Netns.Lo peerLo(ParameterContext parameter, String name) {
        Netns.Lo lo = null;
        Parameter first = null;
        for (Parameter each : parameter.getDeclaringExecutable().getParameters()) {
            Optional<TransientNetns> asked = Declared.annotation(each, TransientNetns.class);
            if (asked.isEmpty() || !asked.get().value().equals(name)) {
                continue;
            }
            if (lo == null) {
                lo = asked.get().lo();
                first = each;
            } else if (asked.get().lo() != lo) {
                throw new ParameterResolutionException("@Veth parameter " + TestNamespaces.describe(parameter)
                        + " puts its peer in namespace \"" + name + "\", which '" + first.getName() + "' asks for with"
                        + " lo = " + lo + " and '" + each.getName() + "' with lo = "
                        + asked.get().lo()
                        + ": one namespace has one lo; give them the same setting");
            }
        }
        return lo; // null: no wish (the namespace is made with lo up, or kept as another parameter had it made)
    }

    /** What the annotation asks for, checked before anything is made. */
    private static final class Request {
        String name;
        String peerName;
        IpPrefix address;
        IpPrefix peerAddress;
        QdiscSpec impairment;
    }

    private static Request validate(Veth veth, ParameterContext parameter) {
        Request request = new Request();
        try {
            request.name = veth.name().isEmpty() ? null : LinkNames.check(veth.name());
            request.peerName = veth.peerName().isEmpty() ? null : LinkNames.check(veth.peerName());
            request.address = veth.address().isEmpty() ? null : IpPrefix.parse(veth.address());
            request.peerAddress = veth.peerAddress().isEmpty() ? null : IpPrefix.parse(veth.peerAddress());
            request.impairment = Impairments.of(veth);
            if (veth.mtu() < 0) {
                throw new IllegalArgumentException("mtu must not be negative, was " + veth.mtu());
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException(
                    "@Veth parameter " + TestNamespaces.describe(parameter) + ": " + e.getMessage(), e);
        }
        return request;
    }

    private static VethPair create(Request request, Veth veth, NsFd local, NsFd peer) {
        LinkSpec spec = request.name == null ? LinkSpec.veth() : LinkSpec.veth(request.name);
        if (request.peerName != null) {
            spec.peer(request.peerName);
        }
        if (veth.mtu() > 0) {
            spec.mtu(veth.mtu());
        }
        if (veth.up()) {
            spec.up();
        }
        // the namespaces' spare sockets (see Rtnl.open): no thread needs to enter them
        try (Rtnl here = Rtnl.open(local);
                Rtnl there = peer.equals(local) ? null : Rtnl.open(peer)) {
            Rtnl peerSide = there == null ? here : there;
            VethPair pair = here.createVeth(spec, peerSide);
            // addresses do not change the links' snapshots
            if (request.address != null) {
                here.addAddress(pair.local(), request.address, AddressOption.NO_DAD);
            }
            if (request.peerAddress != null) {
                peerSide.addAddress(pair.peer(), request.peerAddress, AddressOption.NO_DAD);
            }
            if (request.impairment != null && veth.impaired() != Veth.End.PEER) {
                here.addQdisc(pair.local(), request.impairment);
            }
            if (request.impairment != null && veth.impaired() != Veth.End.LOCAL) {
                peerSide.addQdisc(pair.peer(), request.impairment);
            }
            return pair;
        }
    }
}
