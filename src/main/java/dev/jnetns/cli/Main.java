package dev.jnetns.cli;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.internal.NsFiles;
import java.io.PrintStream;

/**
 * {@code java -jar jnetns.jar [doctor|demo]}: {@code doctor} (the default) checks whether jnetns can work here;
 * {@code demo} is a namespace round trip that shows a thread inside and outside a transient namespace by inode.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        String command = args.length == 0 ? "doctor" : args[0];
        int code;
        switch (command) {
            case "doctor":
                code = Doctor.run(System.out);
                break;
            case "demo":
                code = demo(System.out);
                break;
            default:
                System.err.println("usage: java -jar jnetns.jar [doctor|demo]");
                code = 2;
        }
        System.exit(code);
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
