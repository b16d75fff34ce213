package dev.athanor.ingest.assets;

import dev.athanor.ingest.catalog.InvalidInputException;
import dev.athanor.ingest.catalog.Names;
import dev.athanor.wire.WireNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * Where asset bytes live in the hot root. A complete asset is the file {@code <run dir>/<path>}
 * (the TensorBoard layout, so the profile plugin finds it: {@code plugins/…}, and PyTorch's traces
 * right in the run directory, where its {@code tensorboard_trace_handler} writes them). Bytes still arriving are kept in the
 * run directory's {@code .athanor.assets/} (outside {@code plugins/}, so no reader ever sees half
 * a trace) and moved into place once verified.
 */
public final class AssetFiles {

    /** Directory of partial uploads inside a run directory (the reserved prefix keeps clients out). */
    static final String PARTIAL_DIR = Names.RESERVED_PREFIX + ".assets";

    private final Path hotRoot;

    public AssetFiles(Path hotRoot) {
        this.hotRoot = hotRoot.toAbsolutePath().normalize();
    }

    /** Size, SHA-256 and CRC32C of a whole file. */
    public record Digest(AssetContent content, long crc32c) {
    }

    public Path runDirectory(AssetKey key) {
        return hotRoot.resolve(key.run().relativeDir());
    }

    /** The stored file; refuses (defence in depth, paths are validated before) anything outside the run directory. */
    public Path finalPath(AssetKey key) {
        Path runDir = runDirectory(key);
        Path target = runDir.resolve(key.path()).normalize();
        boolean runRootTrace = runDir.equals(target.getParent()) && WireNames.isRunRootTrace(key.path());
        if (!target.startsWith(runDir.resolve(Names.ASSET_ROOT)) && !runRootTrace) {
            throw new InvalidInputException("asset.path", "asset path '" + key.path() + "' leaves the run's plugins directory");
        }
        return target;
    }

    /** The file that collects the bytes of an upload in progress, named by a hash of the asset path. */
    public Path partialPath(AssetKey key) {
        return runDirectory(key).resolve(PARTIAL_DIR).resolve(sha256Hex(key.path()) + ".part");
    }

    /** Bytes of the upload in progress kept so far (0 when none). */
    public long partialLength(AssetKey key) throws IOException {
        try {
            return Files.size(partialPath(key));
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    public void discardPartial(AssetKey key) throws IOException {
        Files.deleteIfExists(partialPath(key));
    }

    /** Opens the partial file for appending, cut to {@code length} bytes (anything past what was kept is dropped). */
    public FileChannel openPartial(AssetKey key, long length) throws IOException {
        Path partial = partialPath(key);
        Files.createDirectories(partial.getParent());
        FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(length);
        channel.position(length);
        return channel;
    }

    public boolean isStored(AssetKey key) {
        return Files.isRegularFile(finalPath(key));
    }

    /**
     * Moves the verified partial file to its final path and makes the move durable (the file's
     * bytes were forced before). An existing file at the final path is never replaced.
     */
    public void publish(AssetKey key) throws IOException {
        Path target = finalPath(key);
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            throw new IOException(target + " exists already");
        }
        Files.move(partialPath(key), target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(target.getParent());
    }

    public Digest digestStored(AssetKey key) throws IOException {
        return digest(finalPath(key));
    }

    public Digest digestPartial(AssetKey key) throws IOException {
        return digest(partialPath(key));
    }

    static Digest digest(Path file) throws IOException {
        MessageDigest sha = sha256();
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                crc.update(buffer, 0, n);
                size += n;
            }
        }
        return new Digest(AssetContent.of(size, sha.digest()), crc.getValue());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String sha256Hex(String s) {
        return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
