package dev.athanor.rawlog;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads frames from segment files under this machine's hot root. A file is opened per read, so
 * no descriptor is held for a file the archive may delete. A missing file is
 * {@link java.nio.file.NoSuchFileException} (archived and removed, or never here).
 */
public final class HotSegmentSource implements SegmentSource {

    private final HotRoot root;

    public HotSegmentSource(HotRoot root) {
        this.root = root;
    }

    public HotRoot root() {
        return root;
    }

    @Override
    public byte[] readFrameAt(String segment, long offset, int length) throws IOException {
        Path file = root.resolve(segment);
        byte[] bytes = FileRanges.read(file, offset, FrameCheck.frameBytes(length));
        return FrameCheck.payload(bytes, "raw segment " + segment, offset, length);
    }
}
