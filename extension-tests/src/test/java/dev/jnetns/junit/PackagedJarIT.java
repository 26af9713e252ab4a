package dev.jnetns.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jnetns.Netns;
import org.junit.jupiter.api.Test;

/** The extension tests exercise the packaged jar, as a user's build would, not the compiled classes. */
class PackagedJarIT {
    @Test
    void theLibraryComesFromTheJar() {
        String location = Netns.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertThat(location).endsWith("/jnetns.jar");
        assertThat(TransientNetns.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .isEqualTo(location);
    }
}
