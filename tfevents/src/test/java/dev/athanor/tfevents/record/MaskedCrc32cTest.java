package dev.athanor.tfevents.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MaskedCrc32cTest {

    @Test
    void crc32cOfTheStandardCheckStringMatchesThePublishedValue() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        // 0xE3069283 is CRC-32C's published check value; mask it by hand to compare.
        int published = 0xE3069283;
        assertThat(FrameBytes.crc32c(check, 0, check.length)).isEqualTo(published);
        assertThat(MaskedCrc32c.of(check)).isEqualTo(Integer.rotateRight(published, 15) + 0xa282ead8);
    }

    @Test
    void agreesWithTheBitwiseReferenceOnSlicesOfEveryLength() {
        byte[] data = FrameBytes.payload(300, 77);
        for (int offset = 0; offset < 9; offset++) {
            for (int length = 0; length + offset <= data.length; length += 13) {
                assertThat(MaskedCrc32c.of(data, offset, length))
                        .as("offset %d length %d", offset, length)
                        .isEqualTo(FrameBytes.masked(data, offset, length));
            }
        }
    }

    @Test
    void maskOfZeroIsTheMaskConstant() {
        assertThat(MaskedCrc32c.mask(0)).isEqualTo(0xa282ead8);
        assertThat(MaskedCrc32c.mask(1 << 15)).isEqualTo(1 + 0xa282ead8);
    }
}
