package dev.jnetns.internal;

import java.util.ArrayList;
import java.util.List;

/** A further check for {@code jnetns doctor}, registered by the parts of jnetns that need one. */
public interface DoctorCheck {
    /** The check's name in the table. */
    String name();

    /** Whether jnetns cannot work when it fails. */
    boolean fatal();

    /** Runs the check; returns what it found, or throws with what went wrong. */
    String run();

    /** The registered checks, in order. */
    static List<DoctorCheck> extras() {
        List<DoctorCheck> checks = new ArrayList<>();
        java.util.ServiceLoader.load(DoctorCheck.class, DoctorCheck.class.getClassLoader()).forEach(checks::add);
        return checks;
    }
}
