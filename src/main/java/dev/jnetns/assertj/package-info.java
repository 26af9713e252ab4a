/**
 * AssertJ assertions for network namespaces and links: {@link dev.jnetns.assertj.NetnsAssertions} is the entry
 * point, {@link dev.jnetns.assertj.NetnsSoftAssertions} the soft variant. Every check reads the current state from
 * the kernel over rtnetlink, and failure messages show it. AssertJ ({@code org.assertj:assertj-core}) is an
 * optional dependency of jnetns: this package needs it on the class path, the rest of the library does not.
 */
package dev.jnetns.assertj;
