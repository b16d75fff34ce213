package dev.athanor.archive.tiering;

import dev.athanor.archive.catalog.ArchiveCatalog;
import dev.athanor.archive.catalog.HotCopy;
import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StoreException;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.UnsafeHotPathException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Removes hot segment files whose copy is verified. Before each removal the copy is looked up in
 * the store once more (it could have been removed behind the catalog's back), the removal is
 * recorded first (readers switch to the archive), then the file goes.
 */
public final class HotCleaner {

    private static final Logger LOG = Logger.getLogger(HotCleaner.class);

    /** Counts of one clean-up. */
    public record Result(int deleted, long bytes, int kept) {
    }

    private final ObjectStore store;
    private final ArchiveCatalog catalog;
    private final HotRoot hotRoot;

    public HotCleaner(ObjectStore store, ArchiveCatalog catalog, HotRoot hotRoot) {
        this.store = store;
        this.catalog = catalog;
        this.hotRoot = hotRoot;
    }

    public Result deleteVerified(Duration keepFor, int limit) throws SQLException {
        int deleted = 0;
        int kept = 0;
        long bytes = 0;
        for (HotCopy copy : catalog.hotCopiesToDelete(keepFor, limit)) {
            Path hot;
            try {
                hot = hotRoot.resolve(copy.relativePath());
            } catch (UnsafeHotPathException e) {
                LOG.errorf("segment %d: %s", copy.segmentId(), e.getMessage());
                kept++;
                continue;
            }
            String problem = problemWithCopy(copy, hot);
            if (problem != null) {
                LOG.errorf("segment %d: hot file %s kept: %s", copy.segmentId(), hot, problem);
                kept++;
                continue;
            }
            if (!catalog.markHotDeleted(copy.segmentId())) {
                kept++;
                continue;
            }
            try {
                if (Files.deleteIfExists(hot)) {
                    deleted++;
                    bytes += copy.size();
                    syncDirectory(hot.getParent());
                }
            } catch (IOException e) {
                // Recorded as gone already; the sweep retries the file itself.
                LOG.warnf("segment %d: could not delete %s (%s); the next sweep retries", copy.segmentId(), hot, e);
            }
        }
        return new Result(deleted, bytes, kept);
    }

    /** Why the hot file must stay, or null when the copy in the store still stands for it. */
    private String problemWithCopy(HotCopy copy, Path hot) {
        try {
            Optional<ObjectInfo> info = store.head(copy.objectKey());
            if (info.isEmpty()) {
                return "its verified copy " + copy.objectKey() + " is missing from " + store.location();
            }
            if (info.get().size() != copy.size()) {
                return "its copy " + copy.objectKey() + " now has " + info.get().size() + " bytes, not " + copy.size();
            }
            if (Files.exists(hot) && Files.size(hot) != copy.size()) {
                return "the hot file has " + Files.size(hot) + " bytes but the verified copy " + copy.size();
            }
            return null;
        } catch (StoreException e) {
            return "cannot check its copy: " + e.getMessage();
        } catch (IOException e) {
            return "cannot read the hot file: " + e;
        }
    }

    /** Deletes hot files recorded as gone but still present (a crash between record and delete). */
    public int sweep() throws SQLException {
        int removed = 0;
        for (String relative : catalog.hotDeletedPaths()) {
            try {
                Path hot = hotRoot.resolve(relative);
                if (Files.deleteIfExists(hot)) {
                    removed++;
                    LOG.infof("removed %s, left behind after its removal was recorded", hot);
                }
            } catch (IOException e) {
                LOG.warnf("sweeping %s: %s", relative, e.getMessage());
            }
        }
        return removed;
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open directories.
        }
    }
}
