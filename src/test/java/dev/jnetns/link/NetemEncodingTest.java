package dev.jnetns.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnetns.internal.netlink.NlAttrs;
import dev.jnetns.internal.netlink.NlBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * netem's options as jnetns encodes them, held against the attribute numbers of the kernel's own header
 * ({@code linux/pkt_sched.h}, read here): this kernel has no netem to answer, so the header is the eye.
 */
class NetemEncodingTest {
    private static final Path HEADER = Path.of("/usr/include/linux/pkt_sched.h");

    @Test
    void delayJitterAndRateGoInTheAttributesTheKernelNamesSo() throws IOException {
        assumeTrue(Files.isReadable(HEADER), HEADER + " is not installed (Debian: linux-libc-dev)");
        List<String> netemEnum = netemEnum(Files.readString(HEADER));
        QdiscSpec spec = QdiscSpec.netem()
                .delay(Duration.ofMillis(50))
                .jitter(Duration.ofMillis(10))
                .loss(1)
                .rate(125_000);
        NlBuilder m = new NlBuilder(0, 0);
        spec.kind.encodeOptions(m);
        byte[] message = m.build(1);
        // after the 16-byte header: TCA_OPTIONS (4-byte attribute header), a 24-byte tc_netem_qopt, then attributes
        NlAttrs options = NlAttrs.parse(message, 16 + 4 + 24, message.length - 16 - 4 - 24, "netem options");
        assertThat(options.u64(netemEnum.indexOf("TCA_NETEM_LATENCY64"))).isEqualTo(50_000_000L);
        assertThat(options.u64(netemEnum.indexOf("TCA_NETEM_JITTER64"))).isEqualTo(10_000_000L);
        byte[] rate = options.bytes(netemEnum.indexOf("TCA_NETEM_RATE"));
        assertThat(rate).hasSize(16); // struct tc_netem_rate
        assertThat(ByteBuffer.wrap(rate).order(ByteOrder.nativeOrder()).getInt(0))
                .isEqualTo(125_000);
        assertThat(options.has(netemEnum.indexOf("TCA_NETEM_RATE64"))).isFalse();
        ByteBuffer qopt = ByteBuffer.wrap(message, 16 + 4, 24).slice().order(ByteOrder.nativeOrder());
        assertThat(qopt.getInt(4)).as("limit").isEqualTo(1000);
        assertThat(qopt.getInt(8) & 0xffffffffL).as("loss").isEqualTo(Math.round(0.01 * 0xffffffffL));
    }

    /** The names of the TCA_NETEM_ enum in order, so that a name's index is its number. */
    private static List<String> netemEnum(String header) {
        int from = header.indexOf("TCA_NETEM_UNSPEC");
        int to = header.indexOf("}", from);
        List<String> names = new ArrayList<>();
        for (String line : header.substring(from, to).split("\n")) {
            String name = line.trim().replace(",", "");
            if (name.startsWith("TCA_NETEM_")) {
                names.add(name);
            }
        }
        return names;
    }
}
