package dev.athanor.uploader.session;

import dev.athanor.proto.ingest.v1.BatchAck;
import dev.athanor.uploader.assets.AssetSender;
import dev.athanor.uploader.assets.AssetTracker;
import io.grpc.Status;

/** What wakes the upload loop: callbacks of a stream (tagged with its generation) or a nudge. */
sealed interface LoopEvent {

    record Ack(int stream, BatchAck ack) implements LoopEvent {
    }

    record Ready(int stream) implements LoopEvent {
    }

    record Closed(int stream, Status status) implements LoopEvent {
    }

    /** An asset upload of a connection ended. */
    record AssetDone(int stream, AssetTracker.Tracked tracked, AssetSender.Result result) implements LoopEvent {
    }

    /** Stop or abort was requested. */
    record Wake() implements LoopEvent {
    }
}
