/**
 * Throwaway Linux network namespaces: {@link dev.jnetns.NsFd} handles, {@link dev.jnetns.Netns} to create
 * transient and named namespaces and run code inside them, and {@link dev.jnetns.NetnsException} for every kernel
 * failure. Links live in {@link dev.jnetns.link}, the JUnit 5 extension in {@link dev.jnetns.junit}.
 */
package dev.jnetns;
