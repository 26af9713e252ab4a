package dev.jnetns.junit;

import dev.jnetns.NsFd;
import dev.jnetns.internal.Privileges;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
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
    /** The key of report entries that warn about leftovers. */
    static final String LEAKS_ENTRY = "jnetns.leaks";

    // ---- skip or run

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        // the settings are parsed here, before any namespace is made, so that a misspelled one fails at once
        if (!JnetnsConfiguration.of(context).skipUnprivileged()) {
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
                NsFd ns = TestNamespaces.create(declared.get().lo(), context);
                TestNamespaces.putClassScope(context, NetnsScope.holding(testClass.getSimpleName(), ns));
            }
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
        Optional<TransientNetns> config = effective(context);
        if (config.isEmpty()) {
            return;
        }
        String owner = context.getDisplayName();
        NetnsScope scope;
        if (config.get().scope() == TransientNetns.Scope.CLASS) {
            NetnsScope shared = TestNamespaces.classScope(context);
            if (shared == null) {
                throw new ExtensionConfigurationException("@TransientNetns(scope = CLASS) of "
                        + context.getRequiredTestClass().getName() + " has no class namespace; is the class's"
                        + " @BeforeAll phase skipped?");
            }
            scope = NetnsScope.entered(owner, shared.ns(), false);
        } else {
            scope = TestNamespaces.fresh(owner, config.get().lo(), context);
        }
        TestNamespaces.putTestScope(context, scope);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        NetnsScope scope = TestNamespaces.removeTestScope(context);
        if (scope != null) {
            finish(scope, context);
        }
    }

    private void finish(NetnsScope scope, ExtensionContext context) {
        scope.close(LeakPolicy.of(context));
        for (String warning : scope.warnings()) {
            LOG.warning(warning);
            context.publishReportEntry(LEAKS_ENTRY, warning);
        }
        if (!scope.failures().isEmpty()) {
            throw new AssertionFailedError(String.join(" ", scope.failures()));
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

    // ---- NsFd parameters

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == NsFd.class || parameter.isAnnotated(TransientNetns.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
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
}
