/**
 * jnetns' own plumbing: JNA libc calls, errno names, worker threads, prepared namespaces. Not API: anything here
 * may change in any release. Nothing here knows about JUnit.
 */
package dev.jnetns.internal;
