/** {@code java -jar jnetns.jar [doctor|demo]}: the command line, not API. */
package dev.jnetns.cli;
