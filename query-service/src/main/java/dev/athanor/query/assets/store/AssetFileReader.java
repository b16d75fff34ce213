package dev.athanor.query.assets.store;

import dev.athanor.query.common.error.CorruptRawDataException;
import dev.athanor.query.common.error.RawDataUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a stored asset's file in the hot root and checks it is the file the index describes. */
public final class AssetFileReader {

    private final Path hotRoot;

    public AssetFileReader(Path hotRoot) {
        this.hotRoot = hotRoot.toAbsolutePath().normalize();
    }

    /** The asset's file; its size must be the recorded one (a different file is never served). */
    public Path file(RunAsset asset) {
        Path file = hotRoot.resolve(asset.relativePath()).normalize();
        if (!file.startsWith(hotRoot)) {
            throw new CorruptRawDataException("asset '" + asset.path() + "' of run " + asset.runId()
                    + " is recorded outside the hot root; not served");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new RawDataUnavailableException("asset '" + asset.path() + "' of run " + asset.runId()
                    + " is not in hot storage");
        }
        if (size != asset.size()) {
            throw new CorruptRawDataException("asset '" + asset.path() + "' of run " + asset.runId() + " has "
                    + size + " bytes in hot storage, the index recorded " + asset.size() + "; not served");
        }
        return file;
    }
}
