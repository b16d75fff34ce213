package dev.athanor.query.assets.service;

import dev.athanor.query.assets.store.AssetBytes;
import dev.athanor.query.assets.store.AssetFileReader;
import dev.athanor.query.common.auth.ForwardedAuthorization;
import dev.athanor.query.assets.store.AssetStore;
import dev.athanor.query.assets.store.RunAsset;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import dev.athanor.query.runs.service.RunService;
import jakarta.enterprise.context.ApplicationScoped;

/** The asset files of a run (profiler traces and other plugin files): listing and download. */
@ApplicationScoped
public class AssetService {

    private final AssetStore store;
    private final AssetFileReader files;
    private final RunService runs;

    private final ForwardedAuthorization forwarded;

    public AssetService(AssetStore store, AssetFileReader files, RunService runs, ForwardedAuthorization forwarded) {
        this.store = store;
        this.files = files;
        this.runs = runs;
        this.forwarded = forwarded;
    }

    /** A stored asset ready to be streamed. */
    public record Download(RunAsset asset, AssetBytes bytes, String fileName, String contentType) {
    }

    public Page<RunAsset> list(long runId, String prefix, PageRequest page) {
        runs.get(runId);
        return store.list(runId, prefix == null ? "" : prefix, page);
    }

    public Download download(long runId, String path) {
        if (path == null || path.isEmpty()) {
            throw new BadInputException("path", "path is required (an asset path as the listing gives it)");
        }
        runs.get(runId);
        RunAsset asset = store.find(runId, path).orElseThrow(() -> new NotFoundException("path",
                "run " + runId + " has no stored asset '" + path + "'"));
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        // The caller's token is taken now: the body streams after the request's scope may have ended.
        return new Download(asset, files.open(asset, forwarded.header()), fileName, AssetContentTypes.of(fileName));
    }
}
