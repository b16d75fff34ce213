package dev.athanor.ingest.assets;

import dev.athanor.ingest.catalog.InvalidInputException;
import dev.athanor.proto.ingest.v1.AssetChunk;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * The bytes of one asset arriving on one stream: each chunk's CRC32C is checked before it is
 * written; at the end the whole file's size and SHA-256 must match the declaration, then it is
 * moved into place and recorded. Holds the asset until closed.
 */
public final class AssetUpload implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AssetUpload.class);

    private final AssetKey key;
    private final AssetContent declared;
    private final AssetFiles files;
    private final AssetStore store;
    private final String node;
    private final int maxChunkBytes;
    private final Runnable release;
    private final boolean alreadyComplete;
    /** Running digests, only when this stream received the file from its first byte. */
    private final MessageDigest sha;
    private final CRC32C crc;
    private FileChannel channel;
    private long length;
    private boolean closed;

    AssetUpload(AssetKey key, AssetProgress start, AssetFiles files, AssetStore store, String node,
                int maxChunkBytes, Runnable release) {
        this.key = key;
        this.declared = start.content();
        this.files = files;
        this.store = store;
        this.node = node;
        this.maxChunkBytes = maxChunkBytes;
        this.release = release;
        this.alreadyComplete = start.complete();
        this.length = start.committedOffset();
        boolean fromStart = !start.complete() && start.committedOffset() == 0;
        this.sha = fromStart ? AssetFiles.sha256() : null;
        this.crc = fromStart ? new CRC32C() : null;
    }

    public AssetKey key() {
        return key;
    }

    /** Where the upload stood when the stream began. */
    public AssetProgress progress() {
        return new AssetProgress(alreadyComplete, length, declared);
    }

    /** Writes a chunk; bytes the server holds already (a resent chunk) are skipped. */
    public void write(AssetChunk chunk) throws IOException {
        String where = "chunk at offset " + chunk.getOffset();
        if (alreadyComplete) {
            throw new InvalidInputException(where, "asset '" + key.path() + "' is stored already; send no chunks");
        }
        int size = chunk.getData().size();
        if (size > maxChunkBytes) {
            throw new InvalidInputException(where, size + " bytes is more than max_asset_chunk_bytes " + maxChunkBytes);
        }
        CRC32C check = new CRC32C();
        chunk.getData().asReadOnlyByteBufferList().forEach(check::update);
        if ((int) check.getValue() != chunk.getCrc32C()) {
            throw new AssetChecksumException(where + ": CRC32C of the data is %08x, the chunk says %08x; nothing of it was written"
                    .formatted((int) check.getValue(), chunk.getCrc32C()));
        }
        long offset = chunk.getOffset();
        long end = offset + size;
        if (offset < 0 || end > declared.size()) {
            throw new InvalidInputException(where, "bytes " + offset + ".." + end + " are outside the declared size "
                    + declared.size() + " of '" + key.path() + "'");
        }
        if (offset > length) {
            throw new InvalidInputException(where, "leaves a gap: the server has " + length + " bytes of '"
                    + key.path() + "'; continue from there");
        }
        if (end <= length) {
            return;
        }
        if (channel == null) {
            channel = files.openPartial(key, length);
        }
        var data = chunk.getData().substring((int) (length - offset));
        for (var buffer : data.asReadOnlyByteBufferList()) {
            if (sha != null) {
                sha.update(buffer.duplicate());
                crc.update(buffer.duplicate());
            }
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        length = end;
    }

    /** The client sent everything: verify, store and record. */
    public AssetProgress finish() throws IOException, SQLException {
        if (alreadyComplete) {
            return progress();
        }
        if (length != declared.size()) {
            throw new InvalidInputException("asset", "the stream ended after " + length + " of " + declared.size()
                    + " bytes of '" + key.path() + "'; resume from offset " + length);
        }
        if (channel == null) {
            channel = files.openPartial(key, length); // an empty file, or every byte arrived on an earlier stream
        }
        channel.force(true);
        channel.close();
        AssetFiles.Digest digest = sha != null
                ? new AssetFiles.Digest(AssetContent.of(length, sha.digest()), crc.getValue())
                : files.digestPartial(key);
        if (!digest.content().equals(declared)) {
            files.discardPartial(key);
            throw new AssetChecksumException("the received bytes of '" + key.path() + "' have " + digest.content()
                    + ", the upload declared " + declared + "; they were discarded: upload the file again");
        }
        files.publish(key);
        store.complete(key, declared, digest.crc32c(), node);
        return new AssetProgress(true, length, declared);
    }

    /** Ends the stream's hold on the asset; bytes written so far are kept (forced) for a resume. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (channel != null && channel.isOpen()) {
                channel.force(false);
                channel.close();
            }
        } catch (IOException e) {
            LOG.warnf("closing the partial upload of %s: %s", key.relativePath(), e.getMessage());
        } finally {
            release.run();
        }
    }
}
