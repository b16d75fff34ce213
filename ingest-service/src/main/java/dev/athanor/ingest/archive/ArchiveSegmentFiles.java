package dev.athanor.ingest.archive;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.Readability;
import dev.athanor.archive.store.StoreException;
import dev.athanor.archive.store.config.LazyStore;
import dev.athanor.archive.store.config.StoreConfig;
import dev.athanor.ingest.config.ArchiveStoreConfig;
import dev.athanor.ingest.index.SegmentFiles;
import dev.athanor.ingest.rawlog.RawLog;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * {@link SegmentFiles} that falls back to the archive: a segment whose hot file is gone is fetched
 * from its VERIFIED archived copy (found through the catalog, in the store configured with the
 * archive's own {@code athanor.archive.*} keys) into a temporary file that is checked against the
 * catalog's size and CRC32C and deleted when the indexer closes it. This is what lets a reindex
 * run over segments that only the archive holds.
 */
@ApplicationScoped
public class ArchiveSegmentFiles implements SegmentFiles {

    private static final Logger LOG = Logger.getLogger(ArchiveSegmentFiles.class);

    private final AgroalDataSource dataSource;
    private final StoreConfig storeConfig;
    private final LazyStore store;
    private final Path scratch;

    public ArchiveSegmentFiles(AgroalDataSource dataSource, ArchiveStoreConfig config, RawLog rawLog) {
        this.dataSource = dataSource;
        this.storeConfig = StoreConfig.from(config);
        this.store = new LazyStore(storeConfig);
        // Beside the hot root (same volume, room for a segment); never inside it (scan walks it).
        this.scratch = rawLog.hotRoot().resolveSibling(rawLog.hotRoot().getFileName() + ".archive-fetch");
    }

    private record Copy(String key, long size, long crc32c, String tier) {
    }

    @Override
    public FileChannel open(Path hotFile, String relativePath) throws IOException {
        try {
            return FileChannel.open(hotFile, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return fetch(relativePath);
        }
    }

    private FileChannel fetch(String relativePath) throws IOException {
        Copy copy = copyOf(relativePath);
        ObjectStore objects = store();
        if ("COLD".equals(copy.tier())) {
            Readability readability = objects.readability(copy.key());
            if (!readability.readable()) {
                throw new IOException("raw segment " + relativePath + " is archived in a class that needs a restore ("
                        + readability.state() + "); restore its run first (POST /api/v1/runs/{runId}/archive/restores"
                        + " on query-service), then reindex again");
            }
        }
        Files.createDirectories(scratch);
        Path tmp = Files.createTempFile(scratch, "segment-", ".fetch");
        try {
            CRC32C crc = new CRC32C();
            long size = 0;
            try (InputStream in = objects.get(copy.key()); OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    crc.update(buf, 0, n);
                    out.write(buf, 0, n);
                    size += n;
                }
            }
            if (size != copy.size() || crc.getValue() != copy.crc32c()) {
                throw new IOException("archived copy " + copy.key() + " of raw segment " + relativePath + " has "
                        + size + " bytes with CRC32C " + crc.getValue() + ", the catalog says " + copy.size() + " bytes"
                        + " with CRC32C " + copy.crc32c() + "; not indexed from it");
            }
            LOG.infof("raw segment %s read from its archived copy %s (%d bytes)", relativePath, copy.key(), size);
            return FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private Copy copyOf(String relativePath) throws IOException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT o.object_key, o.size_bytes, o.crc32c, o.tier FROM archive_object o
                     JOIN raw_segment g ON g.id = o.segment_id
                     WHERE g.relative_path = ? AND o.store = ? AND o.state = 'VERIFIED'""")) {
            ps.setString(1, relativePath);
            ps.setString(2, storeConfig.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NoSuchFileException(relativePath, null, "the hot file is gone and the catalog holds no"
                            + " verified archived copy in store '" + storeConfig.name() + "'");
                }
                return new Copy(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4));
            }
        } catch (SQLException e) {
            throw new IOException("cannot look up the archived copy of " + relativePath + ": " + e.getMessage(), e);
        }
    }

    private ObjectStore store() throws StoreException {
        try {
            return store.get();
        } catch (RuntimeException e) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "cannot open the archive store: " + e.getMessage(), e);
        }
    }

    void close(@Observes ShutdownEvent event) {
        try {
            store.close();
        } catch (IOException e) {
            LOG.debugf("closing the archive store: %s", e.getMessage());
        }
    }
}
