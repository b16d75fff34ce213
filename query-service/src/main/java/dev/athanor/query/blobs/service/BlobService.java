package dev.athanor.query.blobs.service;

import dev.athanor.query.blobs.api.BlobSeries;
import dev.athanor.query.blobs.store.BlobRead;
import dev.athanor.query.blobs.store.BlobSequenceRef;
import dev.athanor.query.blobs.store.BlobStore;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.common.series.PointSampling;
import dev.athanor.query.common.series.SeriesInfo;
import dev.athanor.query.common.series.SeriesLookup;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.runs.service.RunService;
import dev.athanor.query.scalars.service.ScalarService;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Lists blob sequences and serves single blobs with their media type. */
@ApplicationScoped
public class BlobService {

    private static final int BLOB_SEQUENCE_CLASS = 3;

    /** One blob with its media type. */
    public record BlobBytes(byte[] data, String contentType) {
    }

    private final BlobStore store;
    private final SeriesLookup series;
    private final RunService runs;
    private final ScalarService scalars;
    private final QueryConfig config;

    public BlobService(BlobStore store, SeriesLookup series, RunService runs, ScalarService scalars, QueryConfig config) {
        this.store = store;
        this.series = series;
        this.runs = runs;
        this.scalars = scalars;
        this.config = config;
    }

    public BlobSeries list(long runId, String tag, Integer maxPoints, Long stepMin, Long stepMax) {
        int bound = scalars.maxPoints(maxPoints, config.sampling().blobs());
        SeriesInfo info = blobSeries(runId, tag);
        BlobRead read = store.list(info.seriesId(), ScalarService.range(stepMin, stepMax), bound);
        List<BlobSeries.Step> steps = new ArrayList<>(read.points().size());
        String encodedTag = URLEncoder.encode(tag, StandardCharsets.UTF_8).replace("+", "%20");
        for (BlobSequenceRef ref : read.points()) {
            List<BlobSeries.Blob> blobs = new ArrayList<>(ref.blobCount());
            for (int i = 0; i < ref.blobCount(); i++) {
                long length = i < ref.blobLengths().length ? ref.blobLengths()[i] : -1;
                blobs.add(new BlobSeries.Blob(i, length, role(info.plugin(), i),
                        "/api/v1/runs/" + runId + "/blobs/data?tag=" + encodedTag + "&step=" + ref.step() + "&index=" + i));
            }
            steps.add(new BlobSeries.Step(ref.step(), ref.wallTime(), blobs));
        }
        return new BlobSeries(runId, info.run(), tag, info.plugin(),
                PointSampling.of(steps.size(), bound, read.pointsInRange()), steps);
    }

    public BlobBytes blob(long runId, String tag, Long step, Integer index) {
        if (step == null) {
            throw new BadInputException("step", "step is required");
        }
        int i = index == null ? 0 : index;
        SeriesInfo info = blobSeries(runId, tag);
        BlobSequenceRef ref = store.at(info.seriesId(), step).orElseThrow(() -> new NotFoundException("step",
                "tag '" + tag + "' of run " + runId + " has no blobs at step " + step));
        if (i < 0 || i >= ref.blobCount()) {
            throw new NotFoundException("index", "step " + step + " of tag '" + tag + "' holds " + ref.blobCount()
                    + " blobs (index 0.." + (ref.blobCount() - 1) + "); no index " + i);
        }
        byte[] data = store.blob(info, ref, i);
        return new BlobBytes(data, ContentTypes.of(data, info.plugin()));
    }

    private SeriesInfo blobSeries(long runId, String tag) {
        if (tag == null || tag.isEmpty()) {
            throw new BadInputException("tag", "tag is required");
        }
        runs.get(runId);
        SeriesInfo info = series.find(runId, tag).orElseThrow(() -> new NotFoundException("tag",
                "run " + runId + " has no tag '" + tag + "'"));
        if (info.dataClass() != BLOB_SEQUENCE_CLASS) {
            throw new BadInputException("tag", "tag '" + tag + "' of run " + runId + " is not a blob sequence (plugin '"
                    + info.plugin() + "')");
        }
        return info;
    }

    static String role(String plugin, int index) {
        return switch (plugin) {
            case "images" -> index == 0 ? "width" : index == 1 ? "height" : "image";
            case "audio" -> "audio";
            default -> plugin.startsWith("graph") ? "graph" : "blob";
        };
    }
}
