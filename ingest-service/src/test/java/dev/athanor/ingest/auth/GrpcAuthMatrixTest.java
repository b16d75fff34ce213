package dev.athanor.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors;
import dev.athanor.auth.testing.AuthOnProfile;
import dev.athanor.auth.testing.BadCredential;
import dev.athanor.auth.testing.TestTokens;
import dev.athanor.ingest.forward.CallOrigin;
import dev.athanor.ingest.testing.Events;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.UploadClient;
import com.google.protobuf.ByteString;
import dev.athanor.proto.ingest.v1.AssetChunk;
import dev.athanor.proto.ingest.v1.AssetHeader;
import dev.athanor.proto.ingest.v1.AssetState;
import dev.athanor.proto.ingest.v1.CreateExperimentRequest;
import dev.athanor.proto.ingest.v1.CreateRunRequest;
import dev.athanor.proto.ingest.v1.FinishRunRequest;
import dev.athanor.proto.ingest.v1.GetAssetStateRequest;
import dev.athanor.proto.ingest.v1.GetCommittedOffsetsRequest;
import dev.athanor.proto.ingest.v1.IngestAdminServiceGrpc;
import dev.athanor.proto.ingest.v1.IngestProtos;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.proto.ingest.v1.ReindexRequest;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.AssetClient;
import dev.athanor.proto.ingest.v1.IngestRawReadServiceGrpc;
import dev.athanor.proto.ingest.v1.ReadAssetRangeRequest;
import dev.athanor.proto.ingest.v1.ReadSegmentRangeRequest;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import dev.athanor.proto.ingest.v1.RunStatus;
import dev.athanor.proto.ingest.v1.ServerInfoRequest;
import dev.athanor.proto.ingest.v1.UploadAssetRequest;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The access matrix of every ingest RPC with really signed tokens; test names read as a table
 * ({@code CreateRun · project beta reader → PERMISSION_DENIED}). The RPC list is checked against the
 * services of ingest.proto, so an RPC added there without a row fails
 * {@link #everyRpcOfIngestProtoIsInTheMatrix()}.
 */
@QuarkusTest
@TestProfile(AuthOnProfile.class)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class GrpcAuthMatrixTest {

    /** A project's experiment, and one of its runs' segments (as raw_segment records it) for the raw reads. */
    record Side(String project, String experimentId, long runId, String segment, String asset) {
        String token(String role) {
            return TestTokens.valid(project + "-" + role, "project:" + project + ":" + role);
        }
    }

    record Fixture(Side alpha, Side beta) {
    }

    /** Who may call: any valid token, or a project role on the target experiment's project. */
    enum Needs { ANY_TOKEN, READER, WRITER, ADMIN }

    /** One RPC made against a side's experiment with the given channel; returns the final status. */
    record Rpc(String name, Needs needs, BiFunction<Channel, Side, Status> call) {
    }

    static AssetHeader asset(Side s, byte[] content) {
        try {
            return AssetHeader.newBuilder().setExperimentId(s.experimentId()).setRunPath("finished")
                    .setPath("plugins/profile/" + UUID.randomUUID() + "/host.trace.json.gz").setSize(content.length)
                    .setSha256(ByteString.copyFrom(java.security.MessageDigest.getInstance("SHA-256").digest(content)))
                    .build();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static int crc32c(byte[] content) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(content);
        return (int) crc.getValue();
    }

    static Status unary(Runnable call) {
        try {
            call.run();
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    static final List<Rpc> RPCS = List.of(
            new Rpc("IngestService/GetServerInfo", Needs.ANY_TOKEN, (ch, s) -> unary(() ->
                    IngestServiceGrpc.newBlockingStub(ch).getServerInfo(ServerInfoRequest.getDefaultInstance()))),
            new Rpc("IngestService/CreateExperiment", Needs.WRITER, (ch, s) -> unary(() ->
                    IngestServiceGrpc.newBlockingStub(ch).createExperiment(CreateExperimentRequest.newBuilder()
                            .setProject(s.project()).setName("exp-" + UUID.randomUUID()).build()))),
            new Rpc("IngestService/CreateRun", Needs.WRITER, (ch, s) -> unary(() ->
                    IngestServiceGrpc.newBlockingStub(ch).createRun(CreateRunRequest.newBuilder()
                            .setExperimentId(s.experimentId()).setPath("run-" + UUID.randomUUID()).build()))),
            new Rpc("IngestService/GetCommittedOffsets", Needs.READER, (ch, s) -> unary(() ->
                    IngestServiceGrpc.newBlockingStub(ch).getCommittedOffsets(GetCommittedOffsetsRequest.newBuilder()
                            .setExperimentId(s.experimentId()).build()))),
            new Rpc("IngestService/Upload", Needs.WRITER, (ch, s) -> {
                UploadClient upload = new UploadClient(IngestServiceGrpc.newStub(ch));
                upload.send(Events.batch(1, s.experimentId(), "upload-" + UUID.randomUUID(),
                        "events.out.tfevents.1.host", 0, List.of(Events.scalar("loss", 0, 1.0))));
                try {
                    return upload.finish();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }),
            new Rpc("IngestService/GetAssetState", Needs.READER, (ch, s) -> unary(() ->
                    IngestServiceGrpc.newBlockingStub(ch).getAssetState(GetAssetStateRequest.newBuilder()
                            .setAsset(asset(s, new byte[] {1, 2, 3})).build()))),
            new Rpc("IngestService/UploadAsset", Needs.WRITER, (ch, s) -> {
                byte[] content = UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                java.util.concurrent.CompletableFuture<Status> done = new java.util.concurrent.CompletableFuture<>();
                StreamObserver<UploadAssetRequest> requests = IngestServiceGrpc.newStub(ch).uploadAsset(
                        new StreamObserver<AssetState>() {
                            @Override
                            public void onNext(AssetState value) {
                            }

                            @Override
                            public void onError(Throwable t) {
                                done.complete(Status.fromThrowable(t));
                            }

                            @Override
                            public void onCompleted() {
                                done.complete(Status.OK);
                            }
                        });
                requests.onNext(UploadAssetRequest.newBuilder().setHeader(asset(s, content)).build());
                requests.onNext(UploadAssetRequest.newBuilder().setChunk(AssetChunk.newBuilder().setOffset(0)
                        .setData(ByteString.copyFrom(content)).setCrc32C(crc32c(content))).build());
                requests.onCompleted();
                try {
                    return done.get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }),
            new Rpc("IngestService/FinishRun", Needs.WRITER, (ch, s) -> unary(() ->
                    IngestServiceGrpc.newBlockingStub(ch).finishRun(FinishRunRequest.newBuilder()
                            .setExperimentId(s.experimentId()).setRunPath("finished")
                            .setStatus(RunStatus.RUN_STATUS_FINISHED).build()))),
            new Rpc("IngestAdminService/Reindex", Needs.ADMIN, (ch, s) -> unary(() ->
                    IngestAdminServiceGrpc.newBlockingStub(ch).reindex(ReindexRequest.newBuilder()
                            .setExperimentId(s.experimentId()).build()))),
            new Rpc("IngestRawReadService/ReadSegmentRange", Needs.READER, (ch, s) -> unary(() ->
                    IngestRawReadServiceGrpc.newBlockingStub(ch).readSegmentRange(ReadSegmentRangeRequest.newBuilder()
                            .setRunId(s.runId()).setRelativePath(s.segment()).setOffset(0).setLength(16).build()))),
            new Rpc("IngestRawReadService/ReadAssetRange", Needs.READER, (ch, s) -> unary(() ->
                    IngestRawReadServiceGrpc.newBlockingStub(ch).readAssetRange(ReadAssetRangeRequest.newBuilder()
                            .setRunId(s.runId()).setRelativePath(s.asset()).setOffset(0).setLength(8).build()))));


    static Fixture fixture;

    @Inject
    AgroalDataSource dataSource;

    @GrpcClient("ingest")
    Channel channel;

    private Channel as(String authorization) {
        return as(authorization, new Metadata());
    }

    private Channel as(String authorization, Metadata headers) {
        if (authorization != null) {
            headers.put(dev.athanor.auth.GrpcAccessEdge.AUTHORIZATION, authorization);
        }
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /**
     * A replica forwards an Upload with the caller's own authorization and an athanor-forwarded-from
     * marker; the owner authorizes the caller again. The marker is no credential: without a token
     * the call is unauthenticated, with a reader's token denied, like any other call.
     */
    @Test
    void theForwardedFromMarkerGrantsNothing() {
        Side beta = fixture.beta();
        Rpc upload = RPCS.stream().filter(r -> r.name().equals("IngestService/Upload")).findFirst().orElseThrow();
        Status anonymous = upload.call().apply(as(null, forwardedFrom("ingest-0")), beta);
        assertThat(anonymous.getCode()).as(anonymous.toString()).isEqualTo(Status.Code.UNAUTHENTICATED);
        Status reader = upload.call().apply(as("Bearer " + beta.token("reader"), forwardedFrom("ingest-0")), beta);
        assertThat(reader.getCode()).as(reader.toString()).isEqualTo(Status.Code.PERMISSION_DENIED);
        Status writer = upload.call().apply(as("Bearer " + beta.token("writer"), forwardedFrom("ingest-0")), beta);
        assertThat(writer.getCode()).as(writer.toString()).isEqualTo(Status.Code.OK);
    }

    private static Metadata forwardedFrom(String node) {
        Metadata headers = new Metadata();
        headers.put(CallOrigin.FORWARDED_FROM, node);
        return headers;
    }

    @BeforeEach
    void seed() {
        if (fixture == null) {
            String prefix = "authgrpc-" + (System.nanoTime() % 1_000_000);
            fixture = new Fixture(side(prefix + "-alpha"), side(prefix + "-beta"));
        }
    }

    /** A project's first experiment, created by its writer (which creates the project row), and a run "finished". */
    private Side side(String project) {
        Channel writer = as("Bearer " + TestTokens.valid("seed", "project:" + project + ":writer"));
        String experimentId = IngestServiceGrpc.newBlockingStub(writer).createExperiment(CreateExperimentRequest
                .newBuilder().setProject(project).setName("seeded").build()).getExperimentId();
        IngestServiceGrpc.newBlockingStub(writer).createRun(CreateRunRequest.newBuilder().setExperimentId(experimentId)
                .setPath("finished").build());
        UploadClient upload = new UploadClient(IngestServiceGrpc.newStub(writer));
        upload.send(Events.batch(1, experimentId, "readable", "events.out.tfevents.1.host", 0,
                List.of(Events.scalar("loss", 0, 1.0))));
        try {
            assertThat(upload.finish().isOk()).isTrue();
            byte[] trace = "a profiler trace of the seeded run".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            AssetClient assets = new AssetClient(new IngestClient(writer));
            String assetPath = "plugins/profile/2026_01_01_00_00_00/host.trace.json";
            assertThat(assets.send(AssetClient.header(experimentId, "readable", assetPath, trace), trace, 0,
                    trace.length, 16).status().isOk()).as("the seeded asset stored").isTrue();
            String asset = new IndexQueries(dataSource).string("SELECT a.relative_path FROM run_asset a JOIN run r"
                    + " ON r.id = a.run_id WHERE r.experiment_id = ? AND r.path = 'readable'", Long.parseLong(experimentId));
            // raw_segment rows are written by the indexer, a moment after the ack.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (true) {
                List<List<Object>> rows = new IndexQueries(dataSource).rows("SELECT s.run_id, s.relative_path"
                        + " FROM raw_segment s JOIN run r ON r.id = s.run_id WHERE r.experiment_id = ? AND r.path = 'readable'",
                        Long.parseLong(experimentId));
                if (!rows.isEmpty()) {
                    return new Side(project, experimentId, ((Number) rows.getFirst().get(0)).longValue(),
                            (String) rows.getFirst().get(1), asset);
                }
                assertThat(System.nanoTime()).as("the seeded run's segment indexed").isLessThan(deadline);
                Thread.sleep(50);
            }
        } catch (Exception e) {
            throw new IllegalStateException("seeding " + project, e);
        }
    }

    static Stream<Arguments> refusedCredentials() {
        List<Arguments> rows = new ArrayList<>();
        for (Rpc rpc : RPCS) {
            for (BadCredential c : BadCredential.ALL) {
                rows.add(Arguments.of(rpc.name() + " · " + c.label() + " → UNAUTHENTICATED", rpc, c));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedCredentials")
    void refusedCredentialsAreUnauthenticatedSayingWhatWasWrong(String name, Rpc rpc, BadCredential credential) {
        Side beta = fixture.beta();
        Status status = rpc.call().apply(as(credential.header().apply(beta.project())), beta);
        assertThat(status.getCode()).as(name + ": " + status).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains(credential.expected()).doesNotContain("Exception");
    }

    /** A role too low for the RPC, on the RPC's own project: denied naming the role. */
    static Stream<Arguments> rolesTooLow() {
        List<Arguments> rows = new ArrayList<>();
        for (Rpc rpc : RPCS) {
            switch (rpc.needs()) {
                case WRITER -> rows.add(Arguments.of(rpc.name() + " · project beta reader → PERMISSION_DENIED", rpc,
                        "reader", "writer"));
                case ADMIN -> rows.add(Arguments.of(rpc.name() + " · project beta writer → PERMISSION_DENIED", rpc,
                        "writer", "admin"));
                default -> {
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rolesTooLow")
    void aRoleTooLowIsPermissionDenied(String name, Rpc rpc, String held, String needed) {
        Side beta = fixture.beta();
        Status status = rpc.call().apply(as("Bearer " + beta.token(held)), beta);
        assertThat(status.getCode()).as(name + ": " + status).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription()).contains("needs the role " + needed).contains(beta.project());
    }

    static Stream<Arguments> otherProjects() {
        return RPCS.stream().filter(r -> r.needs() != Needs.ANY_TOKEN).map(r -> Arguments.of(r.name() + " · "
                + (r.name().endsWith("CreateExperiment") ? "project alpha admin in project beta → PERMISSION_DENIED"
                : "project alpha admin on project beta's experiment → NOT_FOUND"), r));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherProjects")
    void anotherProjectIsOutOfReach(String name, Rpc rpc) {
        Side beta = fixture.beta();
        Status status = rpc.call().apply(as("Bearer " + fixture.alpha().token("admin")), beta);
        if (rpc.name().endsWith("CreateExperiment")) {
            // The caller named the project itself: saying it may not write there leaks nothing.
            assertThat(status.getCode()).as(name + ": " + status).isEqualTo(Status.Code.PERMISSION_DENIED);
        } else {
            assertThat(status.getCode()).as(name + ": " + status).isEqualTo(Status.Code.NOT_FOUND);
            // Upload prefixes the batch: "batch 1: experiment 7 does not exist".
            assertThat(status.getDescription()).endsWith("experiment " + beta.experimentId() + " does not exist")
                    .doesNotContain(beta.project());
        }
    }

    static Stream<Arguments> rightTokens() {
        return RPCS.stream().map(r -> Arguments.of(r.name() + " · project beta "
                + switch (r.needs()) {
                    case ANY_TOKEN, READER -> "reader";
                    case WRITER -> "writer";
                    case ADMIN -> "admin";
                } + " → OK", r));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rightTokens")
    void theRightTokenIsAllowed(String name, Rpc rpc) {
        Side beta = fixture.beta();
        String role = switch (rpc.needs()) {
            case ANY_TOKEN, READER -> "reader";
            case WRITER -> "writer";
            case ADMIN -> "admin";
        };
        Status status = rpc.call().apply(as("Bearer " + beta.token(role)), beta);
        assertThat(status.getCode()).as(name + ": " + status).isEqualTo(Status.Code.OK);
    }

    @Test
    void writesAndRefusalsAreAuditedWithWhoWhatAndOutcome() {
        List<String> lines;
        try (dev.athanor.auth.testing.AuditCapture audit = dev.athanor.auth.testing.AuditCapture.start()) {
            Side beta = fixture.beta();
            Status denied = rpc("IngestService/CreateRun").call().apply(as("Bearer " + beta.token("reader")), beta);
            assertThat(denied.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            Status allowed = rpc("IngestService/CreateRun").call().apply(as("Bearer " + beta.token("writer")), beta);
            assertThat(allowed.getCode()).isEqualTo(Status.Code.OK);
            lines = audit.lines();
        }
        String project = fixture.beta().project();
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("outcome=denied", "action=CreateRun",
                "project=" + project, "experiment=" + fixture.beta().experimentId(), "user=" + project + "-reader",
                "client=athanor-test", "subject=", "at=", "detail="));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("outcome=allowed", "action=CreateRun",
                "project=" + project, "user=" + project + "-writer", "run=", "path=run-"));
    }

    private static Rpc rpc(String name) {
        return RPCS.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    /** The rule table says what this matrix shows the services enforce, row by row. */
    @Test
    void everyRowsExpectationIsItsAccessRule() {
        for (Rpc rpc : RPCS) {
            dev.athanor.auth.AccessRule rule = IngestAccessRules.TABLE.find("athanor.ingest.v1." + rpc.name())
                    .orElseThrow(() -> new AssertionError(rpc.name() + " has no access rule"));
            if (rpc.needs() == Needs.ANY_TOKEN) {
                assertThat(rule.access()).as(rpc.name()).isEqualTo(dev.athanor.auth.Access.SIGNED_IN);
            } else {
                assertThat(rule.access()).as(rpc.name()).isEqualTo(dev.athanor.auth.Access.PROJECT);
                assertThat(rule.role().name()).as(rpc.name()).isEqualTo(rpc.needs().name());
            }
        }
    }

    @Test
    void everyRpcOfIngestProtoIsInTheMatrix() {
        Set<String> declared = new TreeSet<>();
        for (Descriptors.ServiceDescriptor service : IngestProtos.getDescriptor().getServices()) {
            service.getMethods().forEach(m -> declared.add(service.getName() + "/" + m.getName()));
        }
        Set<String> covered = new TreeSet<>();
        RPCS.forEach(r -> covered.add(r.name()));
        assertThat(covered).as("RPCs of ingest.proto vs. rows of the auth matrix (add missing ones to RPCS)")
                .isEqualTo(declared);
    }
}
