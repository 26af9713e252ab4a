package dev.jnetns.junit;

import dev.jnetns.Netns;
import dev.jnetns.NetnsException;
import dev.jnetns.NsFd;
import dev.jnetns.internal.Privileges;
import dev.jnetns.internal.sys.Errno;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The extension behind {@link TransientNetns}; see there. Stateless: everything lives in the JUnit store. */
final class TransientNetnsExtension
        implements ExecutionCondition,
                BeforeAllCallback,
                AfterAllCallback,
                BeforeEachCallback,
                AfterEachCallback,
                InvocationInterceptor,
                ParameterResolver {
    private static final Logger LOG = Logger.getLogger(TransientNetns.class.getName());
    private static final ExtensionContext.Namespace STORE =
            ExtensionContext.Namespace.create(TransientNetnsExtension.class);
    private static final String CLASS_SCOPE = "class";
    private static final String TEST_SCOPE = "test";
    private static final long DEFAULT_GRACE_MILLIS = 200;

    // ---- skip or run

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        // both settings are checked here, before any namespace is made, so that a misspelled one fails at once
        choice(context, TransientNetns.LEAKED_THREADS_KEY, "fail", "warn");
        if (!skipsUnprivileged(context)) {
            return ConditionEvaluationResult.enabled("jnetns: a missing privilege fails the test");
        }
        String problem = Privileges.problem();
        return problem == null
                ? ConditionEvaluationResult.enabled("jnetns: network namespaces can be created")
                : ConditionEvaluationResult.disabled(problem);
    }

    // ---- class-wide namespaces

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        Optional<TransientNetns> declared = AnnotationSupport.findAnnotation(testClass, TransientNetns.class);
        if (declared.isPresent()) {
            checkDeclaration(declared.get(), testClass);
            if (declared.get().scope() == TransientNetns.Scope.CLASS) {
                NsFd ns = create(declared.get(), context);
                context.getStore(STORE).put(CLASS_SCOPE, NetnsScope.holding(testClass.getSimpleName(), ns));
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        NetnsScope scope = context.getStore(STORE).remove(CLASS_SCOPE, NetnsScope.class);
        if (scope != null) {
            finish(scope, context);
        }
    }

    // ---- per-test namespaces

    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<TransientNetns> config = effective(context);
        if (config.isEmpty()) {
            return;
        }
        String owner = context.getDisplayName();
        NetnsScope scope;
        if (config.get().scope() == TransientNetns.Scope.CLASS) {
            NetnsScope shared = context.getStore(STORE).get(CLASS_SCOPE, NetnsScope.class);
            if (shared == null) {
                throw new ExtensionConfigurationException("@TransientNetns(scope = CLASS) of "
                        + context.getRequiredTestClass().getName() + " has no class namespace; is the class's"
                        + " @BeforeAll phase skipped?");
            }
            scope = NetnsScope.entered(owner, shared.ns(), false);
        } else {
            scope = fresh(owner, config.get(), context);
        }
        context.getStore(STORE).put(TEST_SCOPE, scope);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        NetnsScope scope = context.getStore(STORE).remove(TEST_SCOPE, NetnsScope.class);
        if (scope != null) {
            finish(scope, context);
        }
    }

    private void finish(NetnsScope scope, ExtensionContext context) {
        scope.close(graceMillis(context));
        List<String> leaks = scope.leaks();
        if (leaks.isEmpty()) {
            return;
        }
        boolean warn = choice(context, TransientNetns.LEAKED_THREADS_KEY, "fail", "warn")
                .equals("warn");
        String text = String.join("; ", leaks) + ". Threads inherit the namespace of the thread that starts them:"
                + " stop them (join them, shut executors down) before the test ends"
                + (warn ? "." : ", or set " + TransientNetns.LEAKED_THREADS_KEY + "=warn.");
        if (warn) {
            LOG.warning(text);
            context.publishReportEntry(TransientNetns.LEAKED_THREADS_KEY, text);
        } else {
            throw new AssertionFailedError(text);
        }
    }

    // ---- running test code inside

    @Override
    public void interceptBeforeAllMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context)
            throws Throwable {
        inClassScope(invocation, context);
    }

    @Override
    public void interceptAfterAllMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context)
            throws Throwable {
        inClassScope(invocation, context);
    }

    @Override
    public void interceptBeforeEachMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context)
            throws Throwable {
        inTestScope(invocation, context);
    }

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context)
            throws Throwable {
        inTestScope(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context)
            throws Throwable {
        inTestScope(invocation, context);
    }

    @Override
    public <T> T interceptTestFactoryMethod(
            Invocation<T> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context)
            throws Throwable {
        return inTestScope(invocation, context);
    }

    @Override
    public void interceptDynamicTest(
            Invocation<Void> invocation, DynamicTestInvocationContext call, ExtensionContext context) throws Throwable {
        inTestScope(invocation, context);
    }

    @Override
    public void interceptAfterEachMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context)
            throws Throwable {
        inTestScope(invocation, context);
    }

    private static <T> T inTestScope(Invocation<T> invocation, ExtensionContext context) throws Throwable {
        NetnsScope scope = context.getStore(STORE).get(TEST_SCOPE, NetnsScope.class);
        if (scope == null || !scope.runsInside()) {
            return invocation.proceed();
        }
        return scope.run(invocation::proceed);
    }

    private static void inClassScope(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        NetnsScope scope = context.getStore(STORE).get(CLASS_SCOPE, NetnsScope.class);
        if (scope == null) {
            invocation.proceed();
        } else {
            scope.run(invocation::proceed);
        }
    }

    // ---- NsFd parameters

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == NsFd.class || parameter.isAnnotated(TransientNetns.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() != NsFd.class) {
            throw new ParameterResolutionException("@TransientNetns parameter " + describe(parameter)
                    + " must be of type " + NsFd.class.getName() + ", not "
                    + parameter.getParameter().getType().getName());
        }
        Optional<TransientNetns> annotation = parameter.findAnnotation(TransientNetns.class);
        String name = annotation.map(TransientNetns::value).orElse("");
        if (name.isEmpty()) {
            return codeNamespace(
                    parameter,
                    context,
                    "NsFd parameter " + describe(parameter) + " receives the namespace the code runs in");
        }
        return furtherNamespace(parameter, context, name, annotation.get().lo());
    }

    /**
     * The namespace the code that declares {@code parameter} runs in: the test's, or for class-level methods
     * the class's; {@code what} starts the message when there is none.
     */
    static NsFd codeNamespace(ParameterContext parameter, ExtensionContext context, String what) {
        ExtensionContext.Store store = context.getStore(STORE);
        NetnsScope test = store.get(TEST_SCOPE, NetnsScope.class);
        NetnsScope shared = store.get(CLASS_SCOPE, NetnsScope.class);
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
        ExtensionContext.Store store = context.getStore(STORE);
        NetnsScope owner;
        if (isClassLevel(parameter, context)) {
            owner = store.get(CLASS_SCOPE, NetnsScope.class);
            if (owner == null) {
                throw new ParameterResolutionException("namespace \"" + name + "\" for " + describe(parameter)
                        + ": class-level methods get namespaces only with @TransientNetns(scope = CLASS) on the class");
            }
        } else {
            owner = store.get(TEST_SCOPE, NetnsScope.class);
            if (owner == null) {
                owner = NetnsScope.detached(context.getDisplayName());
                store.put(TEST_SCOPE, owner);
            }
        }
        return owner.extra(name, lo, describe(parameter), made -> create(made, context));
    }

    private static boolean isClassLevel(ParameterContext parameter, ExtensionContext context) {
        return context.getTestMethod().isEmpty()
                || Modifier.isStatic(parameter.getDeclaringExecutable().getModifiers());
    }

    static String describe(ParameterContext parameter) {
        return "'" + parameter.getParameter().getName() + "' of "
                + parameter.getDeclaringExecutable().getName();
    }

    // ---- configuration

    /** The annotation that applies to a test: on its method, else on its class, else on an enclosing class. */
    private static Optional<TransientNetns> effective(ExtensionContext context) {
        Optional<Method> method = context.getTestMethod();
        if (method.isPresent()) {
            Optional<TransientNetns> onMethod = AnnotationSupport.findAnnotation(method.get(), TransientNetns.class);
            if (onMethod.isPresent()) {
                checkDeclaration(onMethod.get(), method.get());
                if (onMethod.get().scope() == TransientNetns.Scope.CLASS) {
                    throw new ExtensionConfigurationException(
                            "@TransientNetns(scope = CLASS) belongs on a class, not on method " + method.get());
                }
                return onMethod;
            }
        }
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = enclosing(c)) {
            Optional<TransientNetns> onClass = AnnotationSupport.findAnnotation(c, TransientNetns.class);
            if (onClass.isPresent()) {
                return onClass;
            }
        }
        return Optional.empty();
    }

    private static Class<?> enclosing(Class<?> c) {
        return Modifier.isStatic(c.getModifiers()) ? null : c.getEnclosingClass();
    }

    private static void checkDeclaration(TransientNetns annotation, AnnotatedElement where) {
        if (!annotation.value().isEmpty()) {
            throw new ExtensionConfigurationException("@TransientNetns(\"" + annotation.value() + "\") on " + where
                    + ": a name is for NsFd parameters (a further namespace); on methods and classes leave it out");
        }
    }

    private static NetnsScope fresh(String owner, TransientNetns config, ExtensionContext context) {
        try {
            return NetnsScope.fresh(owner, config.lo());
        } catch (NetnsException e) {
            throw explain(e, context);
        }
    }

    private static NsFd create(TransientNetns config, ExtensionContext context) {
        return create(config.lo(), context);
    }

    private static NsFd create(Netns.Lo lo, ExtensionContext context) {
        try {
            return NetnsScope.create(lo);
        } catch (NetnsException e) {
            throw explain(e, context);
        }
    }

    private static RuntimeException explain(NetnsException e, ExtensionContext context) {
        {
            if (e.errno() == Errno.EPERM) {
                NetnsException explained = new NetnsException(
                        e.operation(),
                        e.errno(),
                        Privileges.FIX
                                + " (or set the configuration parameter " + TransientNetns.UNPRIVILEGED_KEY
                                + "=skip to skip such tests)",
                        e);
                if (skipsUnprivileged(context)) {
                    return new TestAbortedException(explained.getMessage(), e);
                }
                return explained;
            }
            return e;
        }
    }

    private static boolean skipsUnprivileged(ExtensionContext context) {
        return choice(context, TransientNetns.UNPRIVILEGED_KEY, "fail", "skip").equals("skip");
    }

    /** The value of {@code key}: {@code byDefault} when unset, else one of {@code byDefault} and {@code other}. */
    private static String choice(ExtensionContext context, String key, String byDefault, String other) {
        String value = setting(context, key, byDefault);
        if (!value.equals(byDefault) && !value.equals(other)) {
            throw new ExtensionConfigurationException(
                    key + " must be " + byDefault + " or " + other + ", was \"" + value + "\"");
        }
        return value;
    }

    private static String setting(ExtensionContext context, String key, String fallback) {
        return context.getConfigurationParameter(key).map(String::trim).orElse(fallback);
    }

    private static long graceMillis(ExtensionContext context) {
        String value = setting(context, TransientNetns.LEAKED_THREADS_GRACE_KEY, "");
        if (value.isEmpty()) {
            return DEFAULT_GRACE_MILLIS;
        }
        try {
            return Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new ExtensionConfigurationException(TransientNetns.LEAKED_THREADS_GRACE_KEY
                    + " must be a number of milliseconds, was \"" + value + "\"");
        }
    }
}
