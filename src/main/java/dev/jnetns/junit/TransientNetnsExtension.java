package dev.jnetns.junit;

import dev.jnetns.NsFd;
import dev.jnetns.internal.Privileges;
import dev.jnetns.link.NetworkState;
import java.lang.reflect.Method;
import java.util.Map;
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
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The extension behind {@link TransientNetns}; see there. Registered by that annotation, and by JUnit's extension
 * auto-detection ({@code META-INF/services}), through which {@link TransientNetns#ISOLATION_KEY} places tests
 * without annotations too; JUnit keeps one instance when both apply. Not for use in code. Stateless: everything
 * lives in the JUnit store.
 */
public final class TransientNetnsExtension
        implements ExecutionCondition,
                BeforeAllCallback,
                AfterAllCallback,
                BeforeEachCallback,
                AfterEachCallback,
                InvocationInterceptor,
                TestExecutionExceptionHandler,
                LifecycleMethodExecutionExceptionHandler,
                ParameterResolver {
    private static final Logger LOG = Logger.getLogger(TransientNetns.class.getName());
    /** The key of report entries that warn about leftovers. */
    static final String LEAKS_ENTRY = "jnetns.leaks";
    /** The key of the report entry of a test that ran outside while the suite isolates tests. */
    static final String ISOLATION_ENTRY = "jnetns.isolation";
    /** The key of the report entry that gives a test's capture files. */
    static final String CAPTURE_ENTRY = "jnetns.capture";
    /** The key of the report entry that shows a failed test's namespaces. */
    static final String STATE_ENTRY = "jnetns.state";

    /** For JUnit, which creates it. */
    public TransientNetnsExtension() {}

    // ---- skip or run

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        // the settings are parsed here, before any namespace is made, so that a misspelled one fails at once
        if (!JnetnsConfiguration.of(context).skipUnprivileged() || !Placement.mayApply(context)) {
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
        Optional<Placement> placement = Placement.ofClass(context);
        if (placement.isPresent()) {
            NsFd ns = TestNamespaces.create(placement.get().lo(), context);
            TestNamespaces.putClassScope(
                    context, NetnsScope.holding(context.getRequiredTestClass().getSimpleName(), ns));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        NetnsScope scope = TestNamespaces.removeClassScope(context);
        if (scope != null) {
            finish(scope, context);
        }
    }

    // ---- per-test namespaces

    @Override
    public void beforeEach(ExtensionContext context) {
        TestSettings settings = TestSettings.of(context);
        Optional<Placement> config = settings.placement();
        if (config.isEmpty()) {
            if (Placement.optedOut(context)) {
                context.publishReportEntry(
                        ISOLATION_ENTRY, "ran in the JVM's network namespace (@HostNetns), not isolated");
            }
            return;
        }
        String owner = context.getDisplayName();
        NetnsScope scope;
        if (config.get().scope() == TransientNetns.Scope.CLASS) {
            NetnsScope shared = TestNamespaces.classScope(context);
            if (shared == null) {
                throw new ExtensionConfigurationException(
                        context.getRequiredTestClass().getName()
                                + " runs its tests in one namespace for the class (scope = CLASS), but has none; is the"
                                + " class's @BeforeAll phase skipped?");
            }
            scope = NetnsScope.entered(owner, shared.ns(), false);
        } else {
            scope = TestNamespaces.fresh(owner, config.get().lo(), context);
        }
        TestNamespaces.putTestScope(context, scope);
        CaptureSettings capture = settings.capture(context);
        if (capture.isOn()) { // off costs no more than this look
            scope.capture(capture, TestCaptures.fileBase(context));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        NetnsScope scope = TestNamespaces.removeTestScope(context);
        if (scope != null) {
            finish(scope, context);
        }
    }

    private void finish(NetnsScope scope, ExtensionContext context) {
        // unless shown already, when the failure was thrown
        context.getExecutionException().ifPresent(failure -> reportState(scope, context, failure));
        scope.close(
                context.getTestMethod().isPresent() ? TestSettings.of(context).leaks(context) : LeakPolicy.of(context));
        TestCaptures captures = scope.captures();
        if (captures != null) {
            boolean failed = context.getExecutionException()
                            .filter(t -> !(t instanceof TestAbortedException))
                            .isPresent()
                    || !scope.failures().isEmpty();
            String written = captures.write(failed);
            if (written != null) {
                LOG.info(() -> context.getDisplayName() + ": packets captured in " + written);
                context.publishReportEntry(CAPTURE_ENTRY, written);
            }
        }
        for (String warning : scope.warnings()) {
            LOG.warning(warning);
            context.publishReportEntry(LEAKS_ENTRY, warning);
        }
        if (!scope.failures().isEmpty()) {
            throw new AssertionFailedError(String.join(" ", scope.failures()));
        }
    }

    // ---- the network of a failed test, shown as it was when the failure was thrown (before @AfterEach methods
    // close the servers that explain it); failures of extensions, seen only in afterEach, show it then

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        reportState(TestNamespaces.testScope(context), context, failure);
        throw failure;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        reportState(TestNamespaces.testScope(context), context, failure);
        throw failure;
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        reportState(TestNamespaces.testScope(context), context, failure);
        throw failure;
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        reportState(TestNamespaces.classScope(context), context, failure);
        throw failure;
    }

    @Override
    public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        reportState(TestNamespaces.classScope(context), context, failure);
        throw failure;
    }

    /**
     * Publishes and logs how the failed test's namespaces look now, once per scope, if so configured; a scope
     * without namespaces (or none) shows nothing, nor does a test aborted by an assumption.
     */
    private static void reportState(NetnsScope scope, ExtensionContext context, Throwable failure) {
        if (scope == null
                || failure instanceof TestAbortedException
                || !JnetnsConfiguration.of(context).stateOnFailure()
                || !scope.markStateShown()) {
            return;
        }
        Map<String, NsFd> namespaces = scope.namespaces();
        if (namespaces.isEmpty()) {
            return;
        }
        String state = describe(namespaces);
        LOG.info(() -> context.getDisplayName() + " failed; its network was:\n" + state);
        context.publishReportEntry(STATE_ENTRY, state);
    }

    private static String describe(Map<String, NsFd> namespaces) {
        try {
            return NetworkState.describe(namespaces);
        } catch (RuntimeException e) { // it explains a failure; it must not replace it
            return "could not read the state: " + e;
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
        NetnsScope scope = TestNamespaces.testScope(context);
        if (scope == null || !scope.runsInside()) {
            return invocation.proceed();
        }
        return scope.run(invocation::proceed);
    }

    private static void inClassScope(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        NetnsScope scope = TestNamespaces.classScope(context);
        if (scope == null) {
            invocation.proceed();
        } else {
            scope.run(invocation::proceed);
        }
    }

    // ---- NsFd and NetnsFaults parameters

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == NsFd.class || type == NetnsFaults.class || parameter.isAnnotated(TransientNetns.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == NetnsFaults.class && !parameter.isAnnotated(TransientNetns.class)) {
            if (TestNamespaces.testScope(context) == null
                    || context.getTestMethod().isEmpty()) {
                throw new ParameterResolutionException("NetnsFaults parameter " + TestNamespaces.describe(parameter)
                        + " changes the network of a test: the test must run in @TransientNetns namespaces");
            }
            return new NetnsFaults(() -> TestNamespaces.testScope(context));
        }
        if (parameter.getParameter().getType() != NsFd.class) {
            throw new ParameterResolutionException("@TransientNetns parameter " + TestNamespaces.describe(parameter)
                    + " must be of type " + NsFd.class.getName() + ", not "
                    + parameter.getParameter().getType().getName());
        }
        Optional<TransientNetns> annotation = parameter.findAnnotation(TransientNetns.class);
        String name = annotation.map(TransientNetns::value).orElse("");
        if (name.isEmpty()) {
            return TestNamespaces.codeNamespace(
                    parameter,
                    context,
                    "NsFd parameter " + TestNamespaces.describe(parameter)
                            + " receives the namespace the code runs in");
        }
        return TestNamespaces.furtherNamespace(
                parameter, context, name, annotation.get().lo());
    }
}
