package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealChecksumTest {

    @TempDir
    Path dir;

    private static long crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    @Test
    void aSegmentReadFromItsStartIsNotReadAgain() {
        byte[] bytes = {1, 2, 3, 4, 5};
        SealChecksum checksum = new SealChecksum();
        checksum.update(0, new byte[] {1, 2}, 2);
        checksum.update(2, new byte[] {3, 4, 5}, 3);

        assertThat(checksum.of(dir.resolve("absent"), 5)).isEqualTo(crc(bytes));
    }

    @Test
    void aSegmentFirstReadMidwayIsReadFromItsFile() throws Exception {
        byte[] bytes = {9, 8, 7, 6};
        Files.write(dir.resolve("seg"), bytes);
        SealChecksum checksum = new SealChecksum();
        checksum.update(2, new byte[] {7, 6}, 2); // a restart mid-segment: not folded

        assertThat(checksum.of(dir.resolve("seg"), 4)).isEqualTo(crc(bytes));
    }

    @Test
    void noChecksumWithoutTheFileOrWhenItsSizeDisagrees() throws Exception {
        Files.write(dir.resolve("seg"), new byte[] {1, 2, 3});
        SealChecksum checksum = new SealChecksum();

        assertThat(checksum.of(dir.resolve("absent"), 3)).isNull();
        assertThat(checksum.of(dir.resolve("seg"), 4)).isNull();
    }
}
