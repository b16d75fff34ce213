package dev.athanor.rawlog;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotSegmentSourceTest extends SegmentSourceContract {

    @TempDir
    Path tmp;

    @Override
    void store(String segment, byte[] bytes) throws IOException {
        Path file = tmp.resolve("raw").resolve(segment);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    @Override
    SegmentSource source() {
        return new HotSegmentSource(new HotRoot(tmp.resolve("raw")));
    }

    @Test
    void aPathTrickIsRefused() throws IOException {
        store(SEGMENT, segmentBytes());
        assertThatThrownBy(() -> source().readFrameAt("../raw/" + SEGMENT, 0, FIRST.length))
                .isInstanceOf(UnsafeHotPathException.class);
    }
}
