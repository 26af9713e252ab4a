package dev.jnetns.junit;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.internal.Privileges;
import dev.jnetns.internal.sys.Errno;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.opentest4j.TestAbortedException;

/**
 * The toolkit jnetns' extensions share: where a test's and a class's namespaces live (scopes in the JUnit
 * store), which one the code declaring a parameter runs in, further named namespaces made on first use (with the
 * {@code lo} agreement check), making a namespace with the privilege explained, and naming parameters in
 * messages. No extension reaches into another: each goes through here.
 */
final class TestNamespaces {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(TestNamespaces.class);
    private static final String CLASS_SCOPE = "class";
    private static final String TEST_SCOPE = "test";

    private TestNamespaces() {}

    /** The class-wide scope of {@code context}'s class (with {@code scope = CLASS}), or null. */
    static NetnsScope classScope(ExtensionContext context) {
        return context.getStore(STORE).get(CLASS_SCOPE, NetnsScope.class);
    }

    /** The scope of {@code context}'s test, or null. */
    static NetnsScope testScope(ExtensionContext context) {
        return context.getStore(STORE).get(TEST_SCOPE, NetnsScope.class);
    }

    static void putClassScope(ExtensionContext context, NetnsScope scope) {
        context.getStore(STORE).put(CLASS_SCOPE, scope);
    }

    static void putTestScope(ExtensionContext context, NetnsScope scope) {
        context.getStore(STORE).put(TEST_SCOPE, scope);
    }

    /** Takes the class-wide scope out of the store, for its owner to finish; null if there is none. */
    static NetnsScope removeClassScope(ExtensionContext context) {
        return context.getStore(STORE).remove(CLASS_SCOPE, NetnsScope.class);
    }

    /** Takes the test's scope out of the store, for its owner to finish; null if there is none. */
    static NetnsScope removeTestScope(ExtensionContext context) {
        return context.getStore(STORE).remove(TEST_SCOPE, NetnsScope.class);
    }

    /**
     * The namespace the code that declares {@code parameter} runs in: the test's, or for class-level methods
     * the class's; {@code what} starts the message when there is none.
     */
    static NsFd codeNamespace(ParameterContext parameter, ExtensionContext context, String what) {
        NetnsScope test = testScope(context);
        NetnsScope shared = classScope(context);
        NetnsScope scope = isClassLevel(parameter, context) ? shared : test != null ? test : shared;
        if (scope == null || scope.ns() == null) {
            throw new ParameterResolutionException(what + ", but " + context.getDisplayName() + " does not run in"
                    + " one: annotate the test method or class with @TransientNetns");
        }
        return scope.ns();
    }

    /**
     * The further namespace {@code name} of the test (or class), created on first use with {@code lo} (up if
     * null, which asks for nothing); a parameter asking for another {@code lo} than it was made with fails.
     */
    static NsFd furtherNamespace(ParameterContext parameter, ExtensionContext context, String name, Netns.Lo lo) {
        NetnsScope owner;
        if (isClassLevel(parameter, context)) {
            owner = classScope(context);
            if (owner == null) {
                throw new ParameterResolutionException("namespace \"" + name + "\" for " + describe(parameter)
                        + ": class-level methods get namespaces only with @TransientNetns(scope = CLASS) on the class");
            }
        } else {
            owner = testScope(context);
            if (owner == null) {
                owner = NetnsScope.detached(context.getDisplayName());
                putTestScope(context, owner);
                CaptureSettings capture = CaptureSettings.of(context);
                if (capture.isOn()) {
                    owner.capture(capture, TestCaptures.fileBase(context));
                }
            }
        }
        return owner.extra(name, lo, describe(parameter), made -> create(made, context));
    }

    private static boolean isClassLevel(ParameterContext parameter, ExtensionContext context) {
        return context.getTestMethod().isEmpty()
                || Modifier.isStatic(parameter.getDeclaringExecutable().getModifiers());
    }

    /** A parameter as messages name it: {@code 'peer' of test}. */
    static String describe(ParameterContext parameter) {
        return "'" + parameter.getParameter().getName() + "' of "
                + parameter.getDeclaringExecutable().getName();
    }

    /** A fresh test scope owned by {@code owner}, with its namespace; a missing privilege is explained. */
    static NetnsScope fresh(String owner, Netns.Lo lo, ExtensionContext context) {
        try {
            return NetnsScope.fresh(owner, lo);
        } catch (NetnsException e) {
            throw explain(e, context);
        }
    }

    /** A fresh namespace; a missing privilege is explained (and the test skipped if so configured). */
    static NsFd create(Netns.Lo lo, ExtensionContext context) {
        try {
            return NetnsScope.create(lo);
        } catch (NetnsException e) {
            throw explain(e, context);
        }
    }

    private static RuntimeException explain(NetnsException e, ExtensionContext context) {
        if (e.errno() != Errno.EPERM) {
            return e;
        }
        NetnsException explained = new NetnsException(
                e.operation(),
                e.errno(),
                Privileges.FIX + " (or set the configuration parameter " + TransientNetns.UNPRIVILEGED_KEY
                        + "=skip to skip such tests)",
                e);
        if (JnetnsConfiguration.of(context).skipUnprivileged()) {
            return new TestAbortedException(explained.getMessage(), e);
        }
        return explained;
    }
}
