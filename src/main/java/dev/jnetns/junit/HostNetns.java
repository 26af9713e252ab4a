package dev.jnetns.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test method, or every test of a class (and of its {@code @Nested} classes), in the JVM's own network
 * namespace although the suite isolates every test ({@link TransientNetns#ISOLATION_KEY}): for the few tests
 * that must reach the network outside. Each such test gets a report entry with key {@code jnetns.isolation}
 * saying it ran outside. {@link TransientNetns} on the method, or on a class nearer to it, wins over this.
 *
 * <pre>{@code
 * @Test
 * @HostNetns // downloads from the real registry
 * void fetchesTheIndex() { ... }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface HostNetns {}
