package dev.jnetns.junit;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Member;
import java.lang.reflect.Parameter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What test classes, methods and parameters declare, worked out once per element and question: JUnit's search
 * (meta-annotations, inherited ones) costs microseconds, and every test would ask again. Remembered per class in a
 * {@link ClassValue}, so that nothing here keeps a class, or its loader, alive.
 */
final class Declared {
    private static final ClassValue<Map<Question, Optional<?>>> ANSWERS = new ClassValue<>() {
        @Override
        protected Map<Question, Optional<?>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    /** A question about one element; {@code what} tells questions about the same element apart. */
    private record Question(AnnotatedElement where, Object what) {}

    private Declared() {}

    /** {@code type} on {@code where}, found as JUnit finds it (meta-annotations, {@code @Inherited}). */
    static <A extends Annotation> Optional<A> annotation(AnnotatedElement where, Class<A> type) {
        return remembered(where, type, w -> AnnotationSupport.findAnnotation(w, type));
    }

    /**
     * The answer of {@code compute} for {@code where} and question {@code what}, computed on first ask; empty
     * answers are remembered too. A computation that throws is not remembered, so it throws again next time.
     */
    @SuppressWarnings("unchecked") // each question is asked with one answer type
    static <T> Optional<T> remembered(
            AnnotatedElement where, Object what, Function<AnnotatedElement, Optional<T>> compute) {
        Class<?> owner = ownerOf(where);
        if (owner == null) {
            return compute.apply(where);
        }
        return (Optional<T>) ANSWERS.get(owner).computeIfAbsent(new Question(where, what), q -> compute.apply(where));
    }

    private static Class<?> ownerOf(AnnotatedElement where) {
        if (where instanceof Class<?> type) {
            return type;
        }
        if (where instanceof Member member) {
            return member.getDeclaringClass();
        }
        if (where instanceof Parameter parameter) {
            return parameter.getDeclaringExecutable().getDeclaringClass();
        }
        return null;
    }
}
