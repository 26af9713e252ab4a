package dev.jnetns.junit;

import dev.jnetns.Netns;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Where a test or a class runs: in namespaces of its own ({@code scope}, {@code lo}), decided by
 * {@link TransientNetns} on the method, else on the class or an enclosing class, else by {@link HostNetns}
 * (the JVM's namespace), else by the suite's {@link TransientNetns#ISOLATION_KEY}. Empty: the JVM's namespace.
 *
 * @param scope one namespace per test, or one for the class
 * @param lo whether {@code lo} is up
 */
record Placement(TransientNetns.Scope scope, Netns.Lo lo) {
    /** What {@link TransientNetns#ISOLATION_KEY} asks for tests without annotations. */
    enum Isolation {
        NONE,
        TEST,
        CLASS
    }

    /** What {@link HostNetns} declares, where the nearest declaration is searched for. */
    private static final Placement HOST = new Placement(TransientNetns.Scope.TEST, null);
    /** The placement of {@code context}'s test (a method). */
    static Optional<Placement> ofTest(ExtensionContext context) {
        Placement declared = declaredFor(context);
        return declared == null ? isolated(context) : HOST.equals(declared) ? Optional.empty() : Optional.of(declared);
    }

    /**
     * The placement that makes {@code context}'s class (a container) own a namespace for all its tests: present
     * only with {@code scope = CLASS}, declared on the class itself or asked for by the suite's isolation (where
     * no enclosing class decides).
     */
    static Optional<Placement> ofClass(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        boolean isolating = isolated(context).isPresent();
        Placement declared = declaredOn(testClass, isolating);
        if (declared == null) {
            for (Class<?> c = enclosing(testClass); c != null && declared == null; c = enclosing(c)) {
                declared = declaredOn(c, isolating);
            }
            if (declared != null || TestNamespaces.classScope(context) != null) {
                return Optional.empty(); // an enclosing class decides, or has the namespace its tests share
            }
            declared = isolated(context).orElse(HOST);
        }
        return declared.scope() == TransientNetns.Scope.CLASS ? Optional.of(declared) : Optional.empty();
    }

    /**
     * Whether anything in {@code context} (a class or a test) runs in a namespace of its own, so that JUnit checks
     * the privilege first.
     */
    static boolean mayApply(ExtensionContext context) {
        Placement declared = declaredFor(context);
        return declared == null ? isolated(context).isPresent() : !HOST.equals(declared);
    }

    /**
     * Whether {@code context}'s test runs in the JVM's namespace only because of {@link HostNetns} while the suite
     * isolates tests: the report then says so.
     */
    static boolean optedOut(ExtensionContext context) {
        return isolated(context).isPresent() && HOST.equals(declaredFor(context));
    }

    private static Optional<Placement> isolated(ExtensionContext context) {
        return switch (JnetnsConfiguration.of(context).isolation()) {
            case NONE -> Optional.empty();
            case TEST -> Optional.of(new Placement(TransientNetns.Scope.TEST, Netns.Lo.UP));
            case CLASS -> Optional.of(new Placement(TransientNetns.Scope.CLASS, Netns.Lo.UP));
        };
    }

    /** The nearest declaration for {@code context}: on its method, its class, or an enclosing class; or null. */
    private static Placement declaredFor(ExtensionContext context) {
        boolean isolating = isolated(context).isPresent();
        Optional<Method> method = context.getTestMethod();
        if (method.isPresent()) {
            Placement onMethod = declaredOn(method.get(), isolating);
            if (onMethod != null) {
                if (onMethod.scope() == TransientNetns.Scope.CLASS) {
                    throw new ExtensionConfigurationException(
                            "@TransientNetns(scope = CLASS) belongs on a class, not on method " + method.get());
                }
                return onMethod;
            }
        }
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = enclosing(c)) {
            Placement onClass = declaredOn(c, isolating);
            if (onClass != null) {
                return onClass;
            }
        }
        return null;
    }

    /**
     * What {@code where} declares itself (or inherits): a placement, {@link #HOST}, or null. {@link HostNetns} is
     * looked for only when the suite isolates tests ({@code isolating}): otherwise it changes nothing. Remembered:
     * auto-detection asks this for every test of the suite, most without annotations.
     */
    private static Placement declaredOn(AnnotatedElement where, boolean isolating) {
        return Declared.remembered(
                        where,
                        isolating ? "placement, isolating" : "placement",
                        w -> Optional.ofNullable(lookUp(w, isolating)))
                .orElse(null);
    }

    private static Placement lookUp(AnnotatedElement where, boolean isolating) {
        Optional<TransientNetns> netns = AnnotationSupport.findAnnotation(where, TransientNetns.class);
        boolean host = isolating && AnnotationSupport.isAnnotated(where, HostNetns.class);
        if (netns.isPresent() && host) {
            // one may be inherited from a superclass: the one the class declares itself wins
            boolean ownNetns = declaresItself(where, TransientNetns.class);
            if (ownNetns == declaresItself(where, HostNetns.class)) {
                throw new ExtensionConfigurationException(
                        where + " has both @TransientNetns and @HostNetns: keep the one meant");
            }
            host = !ownNetns;
        }
        if (netns.isPresent() && !host) {
            checkDeclaration(netns.get(), where);
            return of(netns.get());
        }
        return host ? HOST : null;
    }

    /** Whether {@code where} carries {@code type} itself (directly or as a meta-annotation), not by inheritance. */
    private static boolean declaresItself(AnnotatedElement where, Class<? extends Annotation> type) {
        for (Annotation a : where.getDeclaredAnnotations()) {
            if (a.annotationType() == type || AnnotationSupport.isAnnotated(a.annotationType(), type)) {
                return true;
            }
        }
        return false;
    }

    private static Placement of(TransientNetns annotation) {
        return new Placement(annotation.scope(), annotation.lo());
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
