package dev.athanor.ingest.forward;

import dev.athanor.ingest.ownership.LeaseHolder;
import dev.athanor.ingest.rawlog.RawLog;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import io.grpc.Context;
import dev.athanor.proto.ingest.v1.FinishRunRequest;
import io.grpc.Metadata;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens Upload calls to a run's owner on behalf of a client's stream (docs/architecture.md, "One
 * owner per run"): with the caller's authorization and this node's forwarded-from marker, inside
 * the client call's gRPC context, so its deadline and its cancellation carry over to the owner.
 */
@ApplicationScoped
public class Forwarding {

    private final PeerChannels peers;
    private final String node;
    private final Counter batches;
    private final AtomicInteger openCalls = new AtomicInteger();

    public Forwarding(PeerChannels peers, RawLog rawLog, MeterRegistry meters) {
        this.peers = peers;
        this.node = rawLog.node();
        this.batches = meters.counter("athanor.ingest.forward.batches");
        Gauge.builder("athanor.ingest.forward.calls", openCalls, AtomicInteger::get).register(meters);
    }

    /** The forward calls of one client stream, opened lazily within {@code clientCall}. */
    public StreamForwards forStream(Context clientCall, CallOrigin origin, OwnerForward.Relay relay) {
        return new StreamForwards(this, clientCall, origin, relay);
    }

    /** Forward calls open right now, over all streams. */
    public int openCalls() {
        return openCalls.get();
    }

    /**
     * FinishRun forwarded to the run's owner, so it seals the segment it has open (the caller's
     * authorization goes along; the owner authorizes again and never forwards it further).
     */
    public void finishOnOwner(LeaseHolder owner, FinishRunRequest request, CallOrigin origin, Duration timeout) {
        IngestServiceGrpc.newBlockingStub(peers.channel(owner.ownerAddress()))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(origin)))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .finishRun(request);
    }

    /** The caller's authorization and this node's marker: what every forwarded call carries. */
    private Metadata headers(CallOrigin origin) {
        Metadata headers = new Metadata();
        headers.put(CallOrigin.FORWARDED_FROM, node);
        if (origin.authorization() != null) {
            headers.put(CallOrigin.AUTHORIZATION, origin.authorization());
        }
        return headers;
    }

    OwnerForward open(LeaseHolder owner, Context clientCall, CallOrigin origin, OwnerForward.Relay relay) {
        Metadata headers = headers(origin);
        OwnerForward forward = new OwnerForward(owner, relay, openCalls::decrementAndGet);
        openCalls.incrementAndGet();
        var stub = IngestServiceGrpc.newStub(peers.channel(owner.ownerAddress()))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        // Started in the client call's context: its deadline applies, and its cancellation cancels this.
        clientCall.run(() -> stub.upload(forward));
        return forward;
    }

    void sent() {
        batches.increment();
    }
}
