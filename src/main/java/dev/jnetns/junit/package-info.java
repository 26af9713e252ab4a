/**
 * JUnit 5 support: {@link dev.jnetns.junit.TransientNetns} runs tests inside fresh network namespaces and injects
 * {@link dev.jnetns.NsFd} parameters; {@link dev.jnetns.junit.Veth} makes veth pairs between them.
 */
package dev.jnetns.junit;
