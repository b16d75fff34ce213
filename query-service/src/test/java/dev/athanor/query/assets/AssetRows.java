package dev.athanor.query.assets;

import dev.athanor.query.testing.IndexTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Writes asset files into a hot root and their run_asset rows, as ingest does. */
public final class AssetRows {

    private AssetRows() {
    }

    /** Stores {@code content} as a complete asset of the run; returns its SHA-256 (hex). */
    public static String store(IndexTestData data, Path hotRoot, long runId, String runDir, String path, byte[] content)
            throws Exception {
        String relative = runDir + "/" + path;
        Path file = hotRoot.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(content);
        data.execute("""
                INSERT INTO run_asset (run_id, path, relative_path, size_bytes, sha256, crc32c, state, ingest_node,
                                       completed_at)
                VALUES (?, ?, ?, ?, ?, 0, 'COMPLETE', 'test', now())""", runId, path, relative, (long) content.length, sha);
        return HexFormat.of().formatHex(sha);
    }

    /** An upload still in progress: never listed. */
    static void uploading(IndexTestData data, long runId, String runDir, String path) {
        data.execute("""
                INSERT INTO run_asset (run_id, path, relative_path, size_bytes, sha256, state, ingest_node)
                VALUES (?, ?, ?, 10, ?, 'UPLOADING', 'test')""", runId, path, runDir + "/" + path, new byte[32]);
    }
}
