package dev.jnetns.cli;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.internal.sys.NsFiles;
import java.io.PrintStream;

/**
 * {@code java -jar jnetns.jar [doctor|demo]}: {@code doctor} (the default) checks whether jnetns can work here;
 * {@code demo} is a namespace round trip that shows a thread inside and outside a transient namespace by inode.
 */
public final class Main {
    private Main() {}

    /**
     * Runs {@code doctor} (no argument) or {@code demo} and exits with its code: 0 when jnetns works here, 1 when
     * it cannot (the output says why), 2 for an unknown command.
     *
     * @param args {@code doctor} or {@code demo}
     */
    public static void main(String[] args) {
        System.exit(run(args.length == 0 ? "doctor" : args[0], System.out, System.err));
    }

    static int run(String command, PrintStream out, PrintStream err) {
        try {
            return switch (command) {
                case "doctor" -> Doctor.run(out);
                case "demo" -> demo(out);
                default -> {
                    err.println("usage: java -jar jnetns.jar [doctor|demo]");
                    yield 2;
                }
            };
        } catch (LinkageError e) {
            // JNA missing (lib/jna.jar beside the jar) or its native part not loadable
            out.println("verdict: jnetns cannot work here: " + e
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : "")
                    + ". jnetns needs JNA: keep lib/jna.jar beside jnetns.jar, and give JNA a writable"
                    + " -Djna.tmpdir if the home directory is not writable");
            return 1;
        }
    }

    static int demo(PrintStream out) {
        try {
            long before = NsFiles.currentIno();
            out.printf("this thread:            net:[%d]%n", before);
            long inside;
            long created;
            try (NsFd ns = Netns.newTransient()) {
                created = ns.ino();
                out.printf("new transient namespace: %s%n", ns);
                inside = Netns.execute(ns, NsFiles::currentIno);
                out.printf("a thread inside it:      net:[%d]%n", inside);
            }
            long after = NsFiles.currentIno();
            out.printf("this thread afterwards:  net:[%d]%n", after);
            boolean ok = inside == created && inside != before && after == before;
            out.println(ok ? "round trip OK: entered, restored, closed" : "round trip FAILED");
            return ok ? 0 : 1;
        } catch (RuntimeException | LinkageError e) {
            out.println("round trip FAILED: " + e);
            return 1;
        }
    }
}
