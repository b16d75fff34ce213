package dev.athanor.ingest.forward;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.config.IngestConfig;
import dev.athanor.ingest.rawlog.RawLog;
import dev.athanor.ingest.testing.Events;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.SecondReplica;
import dev.athanor.ingest.testing.UploadClient;
import dev.athanor.proto.ingest.v1.BatchAck;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.Journal;
import dev.athanor.rawlog.JournalEntry;
import dev.athanor.proto.ingest.v1.FinishRunRequest;
import dev.athanor.proto.ingest.v1.RunStatus;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two real ingest replicas on one PostgreSQL: this Quarkus service ("testnode", the replica the
 * client happens to reach) and a {@link SecondReplica} ("ingest-b") that owns the run. The client
 * never talks to the owner, yet its batches land in the owner's raw log and the owner's acks
 * come back on its one stream.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardToOwnerTest {

    private static final String FILE = "events.out.tfevents.1.host";
    private static final int OWNER_WINDOW = 64 * 1024;

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IngestConfig config;

    @Inject
    RawLog rawLog;

    @Inject
    MeterRegistry meters;

    private SecondReplica owner;
    private IngestClient client;
    private String experimentName;
    private String experiment;

    @BeforeAll
    void startOwner() throws Exception {
        Path base = Files.createDirectories(Path.of("target", "test-data")).toAbsolutePath();
        owner = new SecondReplica(dataSource, config, "ingest-b", Files.createTempDirectory(base, "hot-b-"), OWNER_WINDOW);
        client = new IngestClient(channel);
        experimentName = "forward-" + System.nanoTime();
        experiment = client.experiment(experimentName);
    }

    @AfterAll
    void stopOwner() throws Exception {
        if (owner != null) {
            owner.resume();
            owner.close();
        }
    }

    @Test
    void aStreamToANonOwnerIsAcknowledgedByTheOwnerAndItsBytesLandOnlyInTheOwnersRawLog() throws Exception {
        List<ByteString> first = scalars(0, 5);
        long firstEnd = ownedByTheOwner("owned", first);
        List<ByteString> second = scalars(5, 5);
        List<ByteString> third = scalars(10, 5);
        long secondEnd = Events.end(firstEnd, second);
        double forwardedBefore = forwardedBatches();

        // One stream carries a replay of what the owner has, two new batches of its run, and a run of its own.
        UploadClient upload = new UploadClient(IngestServiceGrpc.newStub(withHeader(channel,
                "authorization", "Bearer passed-on")));
        upload.send(Events.batch(11, experiment, "owned", FILE, 0, first))
                .send(Events.batch(12, experiment, "owned", FILE, firstEnd, second))
                .send(Events.batch(13, experiment, "local", FILE, 0, scalars(0, 3)))
                .send(Events.batch(14, experiment, "owned", FILE, secondEnd, third));
        assertThat(upload.finish().isOk()).as(upload.done.get().toString()).isTrue();

        List<BatchAck> owned = upload.acks.stream().filter(a -> a.getRunPath().equals("owned")).toList();
        assertThat(owned).extracting(BatchAck::getBatchId).containsExactly(11L, 12L, 14L);
        assertThat(owned.get(0).getRecordsDuplicate()).as("the owner already had batch 11").isEqualTo(5);
        // Everything before an ack's offset is durable: batch 14 may be committed in the same round as 12.
        assertThat(owned.get(1).getCommittedOffset()).isBetween(secondEnd, Events.end(secondEnd, third));
        assertThat(owned.get(2).getCommittedOffset()).isEqualTo(Events.end(secondEnd, third));
        assertThat(owned.get(2).getRecordsAccepted()).isEqualTo(5);
        assertThat(upload.acks).filteredOn(a -> a.getRunPath().equals("local")).singleElement()
                .satisfies(a -> assertThat(a.getRecordsAccepted()).isEqualTo(3));
        assertThat(forwardedBatches() - forwardedBefore).isEqualTo(3);

        assertThat(owner.hotRoot.resolve(runDir("owned"))).isDirectory();
        assertThat(rawLog.hotRoot().resolve(runDir("owned"))).as("the non-owner's volume").doesNotExist();
        assertThat(rawLog.hotRoot().resolve(runDir("local"))).isDirectory();
        assertThat(owner.hotRoot.resolve(runDir("local"))).doesNotExist();

        SecondReplica.ReceivedCall forwarded = owner.forwardedUploads().getLast();
        assertThat(forwarded.header(CallOrigin.FORWARDED_FROM)).isEqualTo("testnode");
        assertThat(forwarded.header(CallOrigin.AUTHORIZATION)).as("the caller's own token, for the owner to check")
                .isEqualTo("Bearer passed-on");
        assertThat(forwarded.outcome().get(10, TimeUnit.SECONDS)).isEqualTo("OK");
        eventually(() -> openForwardCalls() == 0, "the forward call closed");
    }

    @Test
    void theForwarderReadsNoFasterThanTheOwnerTakesBatchesAndEverythingIsAckedInOrderOnceItDoes() throws Exception {
        long offset = ownedByTheOwner("slow", scalars(0, 1));
        List<RecordBatch> batches = new ArrayList<>();
        Random random = new Random(13);
        for (int i = 0; i < 20; i++) {
            byte[] payload = new byte[256 * 1024];
            random.nextBytes(payload);
            List<ByteString> records = List.of(ByteString.copyFrom(payload));
            batches.add(Events.batch(100 + i, experiment, "slow", FILE, offset, records));
            offset = Events.end(offset, records);
        }
        double forwardedBefore = forwardedBatches();
        owner.stall();
        UploadClient upload;
        try {
            upload = new UploadClient(client.async).sendAll(batches);
            eventually(() -> forwardedBatches() - forwardedBefore >= 1, "the first batch forwarded");
            Thread.sleep(1500);
            // The owner takes in OWNER_WINDOW bytes and reads nothing: the forward call is not ready
            // after its first 256 KiB batch, so the rest wait in the client (flow control) instead of here.
            assertThat(forwardedBatches() - forwardedBefore).as("batches handed to the stalled owner").isLessThanOrEqualTo(2);
            assertThat(upload.acks).isEmpty();
        } finally {
            owner.resume();
        }
        assertThat(upload.finish().isOk()).as(upload.done.get().toString()).isTrue();
        assertThat(upload.acks).extracting(BatchAck::getBatchId)
                .containsExactlyElementsOf(batches.stream().map(RecordBatch::getBatchId).toList());
        assertThat(upload.acks.getLast().getCommittedOffset()).isEqualTo(offset);
        assertThat(forwardedBatches() - forwardedBefore).isEqualTo(20);
    }

    @Test
    void aClientThatCancelsCancelsTheForwardAndItsDeadlineReachesTheOwner() throws Exception {
        long offset = ownedByTheOwner("cancelled", scalars(0, 1));
        int callsBefore = owner.forwardedUploads().size();
        owner.stall();
        try {
            UploadClient upload = new UploadClient(client.async.withDeadlineAfter(60, TimeUnit.SECONDS));
            upload.send(Events.batch(1, experiment, "cancelled", FILE, offset, scalars(1, 1)));
            eventually(() -> owner.forwardedUploads().size() > callsBefore, "the forward call opened");
            SecondReplica.ReceivedCall forwarded = owner.forwardedUploads().getLast();
            assertThat(forwarded.deadline()).as("the client's deadline, passed on").isNotNull();
            assertThat(forwarded.deadline().timeRemaining(TimeUnit.SECONDS)).isBetween(1L, 60L);
            assertThat(openForwardCalls()).isPositive();

            upload.cancel();
            assertThat(forwarded.outcome().get(10, TimeUnit.SECONDS)).isEqualTo("cancelled by the caller");
            eventually(() -> openForwardCalls() == 0, "the forward call closed");
        } finally {
            owner.resume();
        }
    }

    @Test
    void aForwardedCallToAReplicaThatDoesNotOwnTheRunIsRefusedNotForwardedAgain() throws Exception {
        long offset = ownedByTheOwner("no-second-hop", scalars(0, 1));
        int callsBefore = owner.uploads.size();
        UploadClient upload = new UploadClient(IngestServiceGrpc.newStub(withHeader(channel,
                CallOrigin.FORWARDED_FROM.name(), "ingest-c")));
        upload.send(Events.batch(7, experiment, "no-second-hop", FILE, offset, scalars(1, 1)));
        Status status = upload.finish();

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).startsWith("batch 7: ")
                .contains("owned by ingest replica ingest-b (" + owner.address + ")")
                .contains("forwarded by ingest replica ingest-c and is not forwarded again; retry");
        assertThat(upload.trailers.get(CallOrigin.OWNER_ADDRESS)).as("advisory owner hint").isEqualTo(owner.address);
        assertThat(owner.uploads).as("calls the owner received").hasSize(callsBefore);
    }

    @Test
    void anUnreachableOwnerIsUnavailableNamingIt() throws Exception {
        long runId = client.run(experiment, "owner-gone");
        String gone;
        try (ServerSocket socket = new ServerSocket(0)) {
            gone = "127.0.0.1:" + socket.getLocalPort(); // closed again: connections are refused
        }
        new IndexQueries(dataSource).update("""
                INSERT INTO run_lease (run_id, owner, owner_address, epoch, expires_at)
                VALUES (?, 'ingest-gone', ?, 1, now() + interval '1 hour')""", runId, gone);

        UploadClient upload = new UploadClient(client.async);
        upload.send(Events.batch(3, experiment, "owner-gone", FILE, 0, scalars(0, 1)));
        Status status = upload.done.get(30, TimeUnit.SECONDS);

        assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(status.getDescription()).contains("forwarding to ingest replica ingest-gone (" + gone + ")")
                .contains("retry");
        assertThat(upload.trailers.get(CallOrigin.OWNER_ADDRESS)).isEqualTo(gone);
        eventually(() -> openForwardCalls() == 0, "the forward call closed");
    }

    /** The owner takes the run's lease by a first batch sent to it directly; returns the file's end. */
    @Test
    void aFinishRunThatReachesANonOwnerSealsTheOwnersOpenSegment() throws Exception {
        ownedByTheOwner("finished", scalars(0, 3));
        Path journal = owner.hotRoot.resolve(runDir("finished")).resolve(Journal.FILE_NAME);
        assertThat(entries(journal)).as("the owner's segment is open").noneMatch(e -> e instanceof JournalEntry.Seal);

        client.blocking.finishRun(FinishRunRequest.newBuilder().setExperimentId(experiment).setRunPath("finished")
                .setStatus(RunStatus.RUN_STATUS_FINISHED).build());
        eventually(() -> entries(journal).stream().anyMatch(e -> e instanceof JournalEntry.Seal),
                "the owner sealed its segment");
        assertThat(owner.forwardedFinishes()).as("passed on once, marked as forwarded").singleElement()
                .satisfies(call -> assertThat(call.header(CallOrigin.FORWARDED_FROM)).isEqualTo("testnode"));
    }

    private static List<JournalEntry> entries(Path journal) {
        try {
            return Journal.read(journal, 0, Files.size(journal)).entries().stream().map(Journal.Positioned::entry)
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long ownedByTheOwner(String run, List<ByteString> records) throws Exception {
        UploadClient direct = new UploadClient(IngestServiceGrpc.newStub(owner.channel()));
        direct.send(Events.batch(1, experiment, run, FILE, 0, records));
        assertThat(direct.finish().isOk()).isTrue();
        assertThat(direct.acks).singleElement().satisfies(a -> assertThat(a.getRecordsAccepted()).isEqualTo(records.size()));
        assertThat(new IndexQueries(dataSource).string("""
                SELECT l.owner FROM run_lease l JOIN run r ON r.id = l.run_id
                 WHERE r.experiment_id = ? AND r.path = ?""", Long.parseLong(experiment), run)).isEqualTo("ingest-b");
        return Events.end(0, records);
    }

    private String runDir(String run) {
        return HotRoot.relativeRunDirectory("default", experimentName, run);
    }

    private double forwardedBatches() {
        return meters.counter("athanor.ingest.forward.batches").count();
    }

    private double openForwardCalls() {
        return meters.get("athanor.ingest.forward.calls").gauge().value();
    }

    private static List<ByteString> scalars(int from, int n) {
        List<ByteString> records = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            records.add(Events.scalar("loss", i, 1.0 / (i + 1)));
        }
        return records;
    }

    private static Channel withHeader(Channel channel, String name, String value) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
