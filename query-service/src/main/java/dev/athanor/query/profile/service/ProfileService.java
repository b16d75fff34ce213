package dev.athanor.query.profile.service;

import dev.athanor.profile.Profiles;
import dev.athanor.profile.decode.ProfileDecodeException;
import dev.athanor.profile.decode.ProfileFormat;
import dev.athanor.profile.index.Limits;
import dev.athanor.profile.index.ProfileIndex;
import dev.athanor.query.assets.service.AssetService;
import dev.athanor.query.assets.store.RunAsset;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import dev.athanor.query.profile.config.ProfileConfig;
import dev.athanor.query.runs.service.RunService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** A run's profiler sessions, and the decoded trace of one host of a session. */
@ApplicationScoped
public class ProfileService {

    private static final int PAGE = 1000;

    private final AssetService assets;
    private final RunService runs;
    private final ProfileCache cache;
    private final ProfileConfig config;

    public ProfileService(AssetService assets, RunService runs, ProfileCache cache, ProfileConfig config) {
        this.assets = assets;
        this.runs = runs;
        this.cache = cache;
        this.config = config;
    }

    /** A decoded trace and the file it is of. */
    public record Trace(ProfileFiles.File file, ProfileIndex index) {
    }

    public List<ProfileFiles.Session> sessions(long runId) {
        List<RunAsset> all = new ArrayList<>();
        Page<RunAsset> page;
        int offset = 0;
        do {
            // every asset: PyTorch's traces are right in the run directory, the rest under plugins/profile/
            page = assets.list(runId, "", new PageRequest(offset, PAGE));
            all.addAll(page.items());
            offset += page.items().size();
        } while (page.nextOffset() != null);
        return ProfileFiles.sessions(all);
    }

    /**
     * The trace of {@code host} (null: the session's first) in {@code session}, decoded once.
     *
     * @throws ProfileDecodeException when the file is damaged or too big (422, naming it)
     * @throws ProfileIndexing        when it is being decoded and was not ready within {@code answer-within} (202)
     */
    public Trace trace(long runId, String session, String host) {
        ProfileFiles.Session found = sessions(runId).stream().filter(s -> s.name().equals(session)).findFirst()
                .orElseThrow(() -> new NotFoundException("session", "run " + runId + " has no profiler session '"
                        + session + "'"));
        ProfileFiles.File file = found.trace(blank(host) ? null : host).orElseThrow(() -> new NotFoundException("host",
                blank(host) ? "session '" + session + "' has no trace file this server decodes (.xplane.pb, "
                        + ".pt.trace.json[.gz], .trace.json[.gz])"
                        : "session '" + session + "' has no trace of host '" + host + "'"));
        RunAsset asset = file.asset();
        ProfileFormat format = file.format().orElseThrow();
        if (asset.size() > config.maxFileBytes()) {
            throw new ProfileDecodeException(asset.path() + ": " + asset.size() + " bytes; traces over "
                    + config.maxFileBytes() + " bytes are not decoded here (athanor.profiles.max-file-bytes), "
                    + "download the file instead");
        }
        Limits limits = new Limits(config.maxEvents(), config.maxLaneEvents(), Limits.DEFAULT.maxKeys(),
                Limits.DEFAULT.maxLanes());
        try {
            ProfileIndex index = cache.get(asset.sha256() + "/" + format, asset.size(), () -> {
                // opened here, on the request's thread: a replica is read with the caller's token
                AssetService.Download download = assets.download(runId, asset.path());
                return (dir, progress) -> Profiles.decode(new AssetTraceSource(asset.path(), download.bytes(),
                        asset.size()), format, dir, limits, progress);
            }, config.answerWithin());
            return new Trace(file, index);
        } catch (ProfileCache.NotReady e) {
            throw new ProfileIndexing(asset.path(), e.progress());
        }
    }

    /**
     * Two traces for a comparison. Both decodes are started before either is waited for, so a
     * first comparison of two big traces indexes them side by side.
     *
     * @throws ProfileIndexing while either is being decoded (the first of them named)
     */
    public List<Trace> both(long runA, String sessionA, String hostA, long runB, String sessionB, String hostB) {
        runs.get(runA); // both runs must be the caller's to read, before anything of either is told
        runs.get(runB);
        Trace a = null;
        ProfileIndexing pending = null;
        try {
            a = trace(runA, sessionA, hostA);
        } catch (ProfileIndexing e) {
            pending = e;
        }
        try {
            Trace b = trace(runB, sessionB, hostB);
            if (pending == null) {
                return List.of(a, b);
            }
        } catch (ProfileIndexing e) {
            pending = pending == null ? e : pending;
        }
        throw pending;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
