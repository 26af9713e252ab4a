package dev.jnetns.testing;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** Commands that start a further JVM like this one: same java, class path, native access and JNA settings. */
public final class ChildJvm {
    private ChildJvm() {}

    /** {@code java ... mainClass args}, carrying over how this JVM was started where it matters to jnetns. */
    public static List<String> command(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path")));
        // native access (JDK 24+) and where JNA unpacks (a rootless run points it somewhere writable)
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--enable-native-access") || a.startsWith("-Djna."))
                .forEach(command::add);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }
}
