package dev.jnetns.junit;

import dev.jnetns.Netns;
import dev.jnetns.NsFd;
import dev.jnetns.internal.PacketCapture;
import dev.jnetns.internal.Pcapng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The packet captures of one test's namespaces: each started as its namespace is made or entered, all stopped
 * when the test ends, and written as pcapng files when the settings ask (a failed test, or every test).
 */
final class TestCaptures {
    private static final Pattern INVOCATION = Pattern.compile("(?:invocation|dynamic-test):#(\\d+)]");

    private final CaptureSettings settings;
    private final String fileBase;
    /** By file suffix ("" for the namespace the test runs in, else the further namespace's name). */
    private final Map<String, Running> running = new LinkedHashMap<>();

    private record Running(String suffix, NsFd ns, String label, PacketCapture capture) {}

    private record Stopped(Running running, PacketCapture.Result result, String problem) {}

    private final List<Stopped> stopped = new ArrayList<>();

    TestCaptures(CaptureSettings settings, String fileBase) {
        this.settings = settings;
        this.fileBase = fileBase;
    }

    /**
     * The file name's start for {@code context}'s test: the class (nested ones with their enclosing classes'
     * names), the method, and the invocation's number for parameterized, repeated and dynamic tests, e.g.
     * {@code ClientIT.Retries.reconnects-2}.
     */
    static String fileBase(ExtensionContext context) {
        String type = context.getRequiredTestClass().getName();
        String base = type.substring(type.lastIndexOf('.') + 1).replace('$', '.');
        base += context.getTestMethod().map(m -> "." + m.getName()).orElse("");
        Matcher invocation = INVOCATION.matcher(context.getUniqueId());
        String number = null;
        while (invocation.find()) {
            number = number == null ? invocation.group(1) : number + "-" + invocation.group(1);
        }
        return safe(number == null ? base : base + "-" + number);
    }

    /** Starts capturing in {@code ns}, known in reports as {@code label}; {@code suffix} names its file. */
    void start(String suffix, String label, NsFd ns) {
        PacketCapture capture =
                Netns.execute(ns, () -> PacketCapture.openHere(settings.snapLength(), settings.bufferBytes()));
        capture.start("jnetns-capture-" + ns.ino());
        running.put(suffix, new Running(suffix, ns, label, capture));
    }

    /** Stops every capture, keeping what each holds; before the namespaces close. */
    void stop() {
        for (Running each : running.values()) {
            try {
                stopped.add(new Stopped(each, each.capture().stop(), null));
            } catch (RuntimeException e) {
                stopped.add(new Stopped(each, null, e.getMessage()));
            }
        }
        running.clear();
    }

    /**
     * Writes the files if the settings ask for this outcome; returns the report (a line per namespace), or null
     * when nothing was written.
     */
    String write(boolean failed) {
        if ((settings.mode() == TransientNetns.Capture.ON_FAILURE && !failed) || stopped.isEmpty()) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        for (Stopped each : stopped) {
            String suffix = each.running().suffix();
            Path file = settings.dir().resolve(fileBase + (suffix.isEmpty() ? "" : "." + safe(suffix)) + ".pcapng");
            String about =
                    "net:[" + each.running().ns().ino() + "] " + each.running().label();
            if (each.result() == null) {
                lines.add(about + ": the capture failed: " + each.problem());
                continue;
            }
            try {
                Pcapng.write(file, each.result());
            } catch (IOException e) {
                lines.add(about + ": could not write " + file + ": " + e);
                continue;
            }
            lines.add(file + ": " + about + ": " + summary(each.result()));
        }
        return String.join("\n", lines);
    }

    /** {@code 12 packets on lo, va; none dropped}, or what was dropped and why. */
    private String summary(PacketCapture.Result r) {
        List<String> names = PacketCapture.names(r);
        String text = r.packets().size()
                + (r.packets().size() == 1 ? " packet" : " packets")
                + (names.isEmpty() ? "" : " on " + String.join(", ", names));
        if (r.droppedFromBuffer() == 0 && r.droppedByKernel() == 0) {
            return text + "; none dropped";
        }
        List<String> dropped = new ArrayList<>();
        if (r.droppedFromBuffer() > 0) {
            dropped.add(r.droppedFromBuffer() + " of the oldest dropped, over the buffer's " + settings.bufferBytes()
                    + " bytes (" + TransientNetns.CAPTURE_BUFFER_KEY + ")");
        }
        if (r.droppedByKernel() > 0) {
            dropped.add(r.droppedByKernel() + " dropped by the kernel, its queue full");
        }
        return text + "; " + String.join("; ", dropped);
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
