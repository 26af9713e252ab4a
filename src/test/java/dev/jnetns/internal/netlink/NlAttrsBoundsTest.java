package dev.jnetns.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Attribute regions outside the buffer are refused, also where offset + length overflows an int. */
class NlAttrsBoundsTest {
    private static final byte[] ONE_ATTRIBUTE = {8, 0, 3, 0, 1, 2, 3, 4}; // nla_len 8, type 3 (little-endian)

    @Test
    void aRegionThatWrapsAroundIsRefusedNotReadAsEmpty() {
        for (int[] region : new int[][] {
            {Integer.MAX_VALUE, Integer.MAX_VALUE}, {1, Integer.MAX_VALUE}, {Integer.MAX_VALUE, 1}, {9, 0}, {-1, 4}
        }) {
            assertThatThrownBy(() -> NlAttrs.parse(ONE_ATTRIBUTE, region[0], region[1], "test"))
                    .as("offset %d, length %d", region[0], region[1])
                    .isInstanceOf(NetlinkFormatException.class)
                    .hasMessageContaining("outside buffer");
        }
    }

    @Test
    void aRegionInsideIsRead() {
        assertThat(NlAttrs.parse(ONE_ATTRIBUTE, 0, 8, "test").types()).containsExactly(3);
        assertThat(NlAttrs.parse(ONE_ATTRIBUTE, 8, 0, "test").types()).isEmpty();
    }
}
