package dev.athanor.ingest.grpc;

import com.google.protobuf.ByteString;
import dev.athanor.auth.Caller;
import dev.athanor.auth.ProjectRole;
import dev.athanor.auth.GrpcCaller;
import dev.athanor.ingest.auth.IngestAccess;
import dev.athanor.ingest.catalog.InvalidInputException;
import dev.athanor.ingest.catalog.NotFoundException;
import dev.athanor.ingest.config.IngestConfig;
import dev.athanor.ingest.hotread.HotSegmentCatalog;
import dev.athanor.ingest.rawlog.RawLog;
import dev.athanor.proto.ingest.v1.IngestRawReadServiceGrpc;
import dev.athanor.proto.ingest.v1.ReadAssetRangeRequest;
import dev.athanor.proto.ingest.v1.ReadAssetRangeResponse;
import dev.athanor.proto.ingest.v1.ReadSegmentRangeRequest;
import dev.athanor.proto.ingest.v1.ReadSegmentRangeResponse;
import dev.athanor.rawlog.FileRanges;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.UnsafeHotPathException;
import dev.athanor.tfevents.record.TfRecord;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Serves ranges of this replica's hot segments and stored asset files to the cluster
 * (query-service's live blob and asset reads). A request names a run and one of its files as the
 * index records it; the file must have been written by this replica, the caller must read the
 * run's project, and the range must lie in the file. Nothing else under the hot root can be read.
 */
@GrpcService
public class IngestRawReadGrpcService extends IngestRawReadServiceGrpc.IngestRawReadServiceImplBase {

    private final RawLog rawLog;
    private final HotSegmentCatalog segments;
    private final IngestAccess access;
    private final int maxLength;

    /** Largest asset range one call returns (the proto's contract); readers stream bigger ranges in steps. */
    public static final int MAX_ASSET_RANGE = 1 << 20;

    public IngestRawReadGrpcService(RawLog rawLog, HotSegmentCatalog segments, IngestAccess access, IngestConfig config) {
        this.rawLog = rawLog;
        this.segments = segments;
        this.access = access;
        this.maxLength = config.limits().maxRecordBytes() + TfRecord.FRAME_OVERHEAD;
    }

    @Override
    @Blocking
    public void readSegmentRange(ReadSegmentRangeRequest request, StreamObserver<ReadSegmentRangeResponse> response) {
        Caller caller = GrpcCaller.current();
        serve(response, "segment", request.getRelativePath(), () -> {
            byte[] bytes = readRange(caller, "ReadSegmentRange", request.getRunId(), request.getRelativePath(),
                    request.getOffset(), request.getLength(), maxLength,
                    () -> segments.experimentOf(request.getRunId(), request.getRelativePath(), rawLog.node()));
            return ReadSegmentRangeResponse.newBuilder().setData(ByteString.copyFrom(bytes)).build();
        });
    }

    @Override
    @Blocking
    public void readAssetRange(ReadAssetRangeRequest request, StreamObserver<ReadAssetRangeResponse> response) {
        Caller caller = GrpcCaller.current();
        serve(response, "asset", request.getRelativePath(), () -> {
            byte[] bytes = readRange(caller, "ReadAssetRange", request.getRunId(), request.getRelativePath(),
                    request.getOffset(), request.getLength(), MAX_ASSET_RANGE,
                    () -> segments.experimentOfAsset(request.getRunId(), request.getRelativePath(), rawLog.node()));
            return ReadAssetRangeResponse.newBuilder().setData(ByteString.copyFrom(bytes)).build();
        });
    }

    private interface Answer<T> {
        T get() throws Exception;
    }

    private interface ExperimentLookup {
        OptionalLong find() throws Exception;
    }

    private <T> void serve(StreamObserver<T> response, String kind, String relativePath, Answer<T> answer) {
        try {
            response.onNext(answer.get());
            response.onCompleted();
        } catch (NoSuchFileException e) {
            response.onError(Status.NOT_FOUND.withDescription(kind + " '" + relativePath
                    + "' is no longer on ingest replica " + rawLog.node() + " (archived)").asRuntimeException());
        } catch (RangeException e) {
            response.onError(Status.OUT_OF_RANGE.withDescription(e.getMessage()).asRuntimeException());
        } catch (Exception e) {
            response.onError(GrpcErrors.toStatus(e));
        }
    }

    /** The range, once the file is known to be one of the run's files here and the caller may read the run. */
    private byte[] readRange(Caller caller, String action, long runId, String relativePath, long offset, int length,
                             int max, ExperimentLookup lookup) throws Exception {
        if (offset < 0 || length <= 0 || length > max) {
            throw new InvalidInputException("length", "offset must be >= 0 and length in 1.." + max
                    + ", got offset " + offset + " length " + length);
        }
        OptionalLong experiment = lookup.find();
        if (experiment.isEmpty()) {
            throw new NotFoundException("run " + runId + " has no " + (action.equals("ReadAssetRange") ? "asset" : "segment")
                    + " '" + relativePath + "' on ingest replica " + rawLog.node());
        }
        access.experiment(caller, "run_id", Long.toString(experiment.getAsLong()), ProjectRole.READER, action, false);
        return read(relativePath, offset, length);
    }

    private byte[] read(String relativePath, long offset, int length) throws IOException {
        Path file;
        try {
            file = new HotRoot(rawLog.hotRoot()).resolve(relativePath);
        } catch (UnsafeHotPathException e) {
            throw new InvalidInputException("relative_path", e.getMessage());
        }
        byte[] bytes = FileRanges.read(file, offset, length);
        if (bytes.length < length) {
            throw new RangeException("bytes " + offset + ".." + (offset + length) + " of '" + relativePath
                    + "' lie past its end");
        }
        return bytes;
    }

    private static final class RangeException extends IOException {
        RangeException(String message) {
            super(message);
        }
    }
}
