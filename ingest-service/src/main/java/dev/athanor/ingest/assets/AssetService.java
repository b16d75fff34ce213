package dev.athanor.ingest.assets;

import dev.athanor.ingest.catalog.CatalogStore;
import dev.athanor.ingest.catalog.ConflictException;
import dev.athanor.ingest.catalog.ExperimentRef;
import dev.athanor.ingest.catalog.InvalidInputException;
import dev.athanor.ingest.catalog.Names;
import dev.athanor.ingest.config.IngestConfig;
import dev.athanor.ingest.rawlog.RawLog;
import dev.athanor.ingest.rawlog.RunIdentity;
import dev.athanor.proto.ingest.v1.AssetHeader;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asset files of runs (plugin files beside the event files, above all profiler traces): where an
 * upload stands, and the uploads themselves. Idempotent by (run, path): the same content again is
 * a no-op, different content for a stored path is refused. One stream at a time per asset.
 *
 * <p>The file system is the truth: a stored file whose row was never marked complete (a crash
 * between the move and the database update) is hashed and recorded when next asked about.
 */
@ApplicationScoped
public class AssetService {

    private final CatalogStore catalog;
    private final AssetStore store;
    private final AssetFiles files;
    private final String node;
    private final IngestConfig.Assets limits;
    private final Map<String, Object> busy = new ConcurrentHashMap<>();

    public AssetService(CatalogStore catalog, AssetStore store, RawLog rawLog, IngestConfig config) {
        this.catalog = catalog;
        this.store = store;
        this.files = new AssetFiles(rawLog.hotRoot());
        this.node = rawLog.node();
        this.limits = config.assets();
    }

    public AssetFiles files() {
        return files;
    }

    /** Where the upload of this asset stands; creates the run if needed, as uploads of records do. */
    public AssetProgress state(AssetHeader header) throws SQLException, IOException {
        Declared declared = resolve(header);
        Object owner = lock(declared.key());
        try {
            return reconcile(declared.key(), declared.content());
        } finally {
            busy.remove(declared.key().relativePath(), owner);
        }
    }

    /** Starts receiving the asset's bytes; the caller must close the upload (it holds the asset). */
    public AssetUpload begin(AssetHeader header) throws SQLException, IOException {
        Declared declared = resolve(header);
        Object owner = lock(declared.key());
        try {
            AssetProgress progress = reconcile(declared.key(), declared.content());
            return new AssetUpload(declared.key(), progress, files, store, node, limits.maxChunkBytes(),
                    () -> busy.remove(declared.key().relativePath(), owner));
        } catch (SQLException | IOException | RuntimeException e) {
            busy.remove(declared.key().relativePath(), owner);
            throw e;
        }
    }

    private record Declared(AssetKey key, AssetContent content) {
    }

    private Declared resolve(AssetHeader header) throws SQLException {
        ExperimentRef experiment = catalog.experiment(
                CatalogStore.parseExperimentId("asset.experiment_id", header.getExperimentId()));
        String runPath = Names.runPath("asset.run_path", header.getRunPath());
        String path = Names.assetPath("asset.path", header.getPath());
        if (header.getSize() < 0) {
            throw new InvalidInputException("asset.size", "size " + header.getSize() + " is negative");
        }
        if (header.getSize() > limits.maxBytes()) {
            throw new InvalidInputException("asset.size", "'" + path + "' has " + header.getSize()
                    + " bytes, more than this server stores per asset (max_asset_bytes " + limits.maxBytes() + ")");
        }
        if (header.getSha256().size() != 32) {
            throw new InvalidInputException("asset.sha256", "must be the 32-byte SHA-256 of the file, got "
                    + header.getSha256().size() + " bytes");
        }
        long runId = catalog.runId(experiment, runPath);
        RunIdentity run = new RunIdentity(runId, experiment.id(), experiment.project(), experiment.name(), runPath);
        return new Declared(new AssetKey(run, path),
                AssetContent.of(header.getSize(), header.getSha256().toByteArray()));
    }

    private Object lock(AssetKey key) {
        Object owner = new Object();
        if (busy.putIfAbsent(key.relativePath(), owner) != null) {
            throw new AssetBusyException("asset '" + key.path() + "' of run '" + key.run().runPath()
                    + "' is being uploaded by another stream; retry when it ends");
        }
        return owner;
    }

    private AssetProgress reconcile(AssetKey key, AssetContent declared) throws SQLException, IOException {
        Optional<StoredAsset> row = store.find(key.run().runId(), key.path());
        AssetContent stored = null;
        if (row.isPresent() && row.get().complete()) {
            stored = row.get().content();
        } else if (files.isStored(key)) {
            AssetFiles.Digest digest = files.digestStored(key);
            store.complete(key, digest.content(), digest.crc32c(), node);
            stored = digest.content();
        }
        if (stored != null) {
            if (!stored.equals(declared)) {
                throw new ConflictException("asset '" + key.path() + "' of run '" + key.run().runPath()
                        + "' is stored already with other content (" + stored + "; this upload has " + declared
                        + "); stored assets never change: write the new file under a new name");
            }
            return new AssetProgress(true, stored.size(), stored);
        }
        if (row.isEmpty() || !row.get().content().equals(declared)) {
            // Not complete yet and the file changed (or first contact): start over.
            files.discardPartial(key);
            store.declare(key, declared, node);
        }
        long kept = files.partialLength(key);
        if (kept > declared.size()) {
            files.discardPartial(key);
            kept = 0;
        }
        return new AssetProgress(false, kept, declared);
    }
}
