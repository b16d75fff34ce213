package dev.athanor.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.testing.AssetClient;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresControl;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.proto.ingest.v1.AssetChunk;
import dev.athanor.proto.ingest.v1.AssetHeader;
import dev.athanor.proto.ingest.v1.AssetState;
import dev.athanor.proto.ingest.v1.ServerInfoRequest;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** UploadAsset and GetAssetState against the real service: storage layout, resume, idempotency, refusals. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class AssetUploadTest {

    private static final String TRACE = "plugins/profile/2026_11_27_00_00_00/host.xplane.pb";

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    private IngestClient ingest;
    private AssetClient assets;

    @BeforeEach
    void clients() {
        ingest = new IngestClient(channel);
        assets = new AssetClient(ingest);
    }

    private static byte[] content(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static Path stored(String experiment, String run, String path) {
        return PostgresControl.hotRoot().resolve("default").resolve(experiment).resolve(run).resolve(path);
    }

    @Test
    void theServerAnnouncesItsAssetLimits() {
        var limits = ingest.blocking.getServerInfo(ServerInfoRequest.getDefaultInstance()).getLimits();
        assertThat(limits.getMaxAssetBytes()).isEqualTo(2147483648L);
        assertThat(limits.getMaxAssetChunkBytes()).isEqualTo(1048576L);
    }

    @Test
    void storesTheFileInTheTensorBoardLayoutAndIndexesIt() throws Exception {
        String exp = ingest.experiment("assets-layout");
        byte[] bytes = content(300_000, 1);
        AssetHeader header = AssetClient.header(exp, "train", TRACE, bytes);

        AssetState before = assets.state(header);
        assertThat(before.getState()).isEqualTo(AssetState.State.STATE_PARTIAL);
        assertThat(before.getCommittedOffset()).isZero();
        AssetClient.Outcome outcome = assets.send(header, bytes, 0, bytes.length, 65536);

        assertThat(outcome.status().isOk()).as(outcome.status().toString()).isTrue();
        assertThat(outcome.state().getState()).isEqualTo(AssetState.State.STATE_COMPLETE);
        assertThat(Files.readAllBytes(stored("assets-layout", "train", TRACE))).isEqualTo(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        List<List<Object>> rows = new IndexQueries(dataSource).rows("""
                SELECT a.path, a.relative_path, a.size_bytes, encode(a.sha256, 'hex'), a.crc32c, a.state,
                       a.completed_at IS NOT NULL
                FROM run_asset a JOIN run r ON r.id = a.run_id WHERE r.path = 'train' AND r.experiment_id = ?""",
                Long.parseLong(exp));
        assertThat(rows).containsExactly(List.of(TRACE, "default/assets-layout/train/" + TRACE, 300_000L,
                java.util.HexFormat.of().formatHex(header.getSha256().toByteArray()), crc.getValue(), "COMPLETE", true));
        // Nothing of the upload is left outside plugins/.
        try (Stream<Path> partial = Files.walk(stored("assets-layout", "train", ".athanor.assets"))) {
            assertThat(partial.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void aPytorchTraceIsStoredRightInTheRunDirectoryAsPytorchWroteIt() throws Exception {
        String exp = ingest.experiment("assets-pytorch");
        byte[] bytes = content(70_000, 9);
        String trace = "vm_27516.1796553923108403786.pt.trace.json.gz";
        AssetHeader header = AssetClient.header(exp, "resnet", trace, bytes);

        AssetClient.Outcome outcome = assets.send(header, bytes, 0, bytes.length, 65536);

        assertThat(outcome.status().isOk()).as(outcome.status().toString()).isTrue();
        assertThat(Files.readAllBytes(stored("assets-pytorch", "resnet", trace))).isEqualTo(bytes);
        assertThat(new IndexQueries(dataSource).rows("""
                SELECT a.relative_path FROM run_asset a JOIN run r ON r.id = a.run_id
                WHERE r.path = 'resnet' AND r.experiment_id = ?""", Long.parseLong(exp)))
                .containsExactly(List.of("default/assets-pytorch/resnet/" + trace));
    }

    @Test
    void theSameContentAgainIsANoOpAndOtherContentIsRefused() throws Exception {
        String exp = ingest.experiment("assets-idempotent");
        byte[] bytes = content(5000, 2);
        AssetHeader header = AssetClient.header(exp, ".", TRACE, bytes);
        assertThat(assets.send(header, bytes, 0, bytes.length, 1000).status().isOk()).isTrue();

        assertThat(assets.state(header).getState()).isEqualTo(AssetState.State.STATE_COMPLETE);
        AssetClient.Outcome again = assets.send(header, bytes, 0, 0, 1000);
        assertThat(again.status().isOk()).isTrue();
        assertThat(again.state().getState()).isEqualTo(AssetState.State.STATE_COMPLETE);

        byte[] other = content(5000, 3);
        AssetHeader otherHeader = AssetClient.header(exp, ".", TRACE, other);
        assertThatThrownBy(() -> assets.state(otherHeader))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
                    assertThat(e.getStatus().getDescription()).contains(TRACE).contains("stored already with other content");
                });
        AssetClient.Outcome refused = assets.send(otherHeader, other, 0, other.length, 1000);
        assertThat(refused.status().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(Files.readAllBytes(stored("assets-idempotent", ".", TRACE))).isEqualTo(bytes);
    }

    @Test
    void aCutStreamResumesFromTheCommittedOffset() throws Exception {
        String exp = ingest.experiment("assets-resume");
        byte[] bytes = content(200_000, 4);
        AssetHeader header = AssetClient.header(exp, "eval", TRACE, bytes);
        assets.state(header);
        Path partialDir = stored("assets-resume", "eval", ".athanor.assets");
        assets.stream(header, AssetClient.chunks(bytes, 0, 120_000, 40_000), () -> partialBytes(partialDir));

        AssetState resumed = awaitUnlocked(header);
        assertThat(resumed.getState()).isEqualTo(AssetState.State.STATE_PARTIAL);
        assertThat(resumed.getCommittedOffset()).isEqualTo(120_000);
        // A resend that overlaps what the server has is accepted; only the new bytes are written.
        AssetClient.Outcome outcome = assets.send(header, bytes, 80_000, bytes.length, 40_000);
        assertThat(outcome.status().isOk()).as(outcome.status().toString()).isTrue();
        assertThat(Files.readAllBytes(stored("assets-resume", "eval", TRACE))).isEqualTo(bytes);
    }

    @Test
    void pathTricksAreRefusedNamingThePath() throws Exception {
        String exp = ingest.experiment("assets-paths");
        byte[] bytes = content(10, 5);
        for (var bad : List.of(
                List.of("../outside.pb", "contains the segment '..'"),
                List.of("plugins/profile/../../../../etc/x.pb", "contains the segment '..'"),
                List.of("/etc/passwd", "is absolute"),
                List.of("C:/x/y.pb", "is absolute"),
                List.of("host.xplane.pb", "is not a plugin file"),
                List.of("profile/w.1.pt.trace.json", "is not a plugin file"),
                List.of("other/profile/s/host.xplane.pb", "is not a plugin file"),
                List.of("plugins/profile/s\\..\\x.pb", "backslash"),
                List.of("plugins/profile//x.pb", "empty segment"),
                List.of("plugins/.athanor.assets/x", "reserved prefix"),
                List.of("plugins/profile/s/events.out.tfevents.1.h", "names an event file"))) {
            AssetHeader header = AssetClient.header(exp, "r", bad.get(0), bytes);
            assertThatThrownBy(() -> assets.state(header)).as(bad.get(0))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).startsWith("asset.path: ").contains(bad.get(1));
                    });
            assertThat(assets.send(header, bytes, 0, bytes.length, 10).status().getCode())
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        try (Stream<Path> files = Files.walk(PostgresControl.hotRoot())) {
            assertThat(files.filter(p -> p.toString().contains("outside") || p.toString().endsWith("x.pb"))).isEmpty();
        }
    }

    @Test
    void aChunkWithAWrongCrcIsNotWritten() throws Exception {
        String exp = ingest.experiment("assets-crc");
        byte[] bytes = content(3000, 6);
        AssetHeader header = AssetClient.header(exp, "r", TRACE, bytes);
        AssetChunk good = AssetClient.chunk(bytes, 0, 1000);
        AssetChunk bad = AssetClient.chunk(bytes, 1000, 2000).toBuilder().setCrc32C(12345).build();
        AssetClient.Outcome outcome = assets.stream(header, List.of(good, bad), null);
        assertThat(outcome.status().getCode()).isEqualTo(Status.Code.DATA_LOSS);
        assertThat(outcome.status().getDescription()).contains("chunk at offset 1000").contains("CRC32C");
        assertThat(awaitUnlocked(header).getCommittedOffset()).isEqualTo(1000);
    }

    @Test
    void aWrongDeclaredChecksumDiscardsTheBytes() throws Exception {
        String exp = ingest.experiment("assets-sha");
        byte[] bytes = content(3000, 7);
        AssetHeader lying = AssetClient.header(exp, "r", TRACE, bytes).toBuilder()
                .setSha256(ByteString.copyFrom(new byte[32])).build();
        AssetClient.Outcome outcome = assets.send(lying, bytes, 0, bytes.length, 1000);
        assertThat(outcome.status().getCode()).isEqualTo(Status.Code.DATA_LOSS);
        assertThat(outcome.status().getDescription()).contains(TRACE).contains("discarded");
        assertThat(Files.exists(stored("assets-sha", "r", TRACE))).isFalse();
        assertThat(awaitUnlocked(lying).getCommittedOffset()).isZero();
    }

    @Test
    void tooLargeShortOrGappedUploadsAreRefused() throws Exception {
        String exp = ingest.experiment("assets-limits");
        byte[] bytes = content(3000, 8);
        AssetHeader huge = AssetClient.header(exp, "r", TRACE, bytes).toBuilder().setSize(3L << 30).build();
        assertThatThrownBy(() -> assets.state(huge)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("max_asset_bytes 2147483648");
        });
        AssetHeader header = AssetClient.header(exp, "r", TRACE, bytes);
        AssetClient.Outcome gap = assets.stream(header, List.of(AssetClient.chunk(bytes, 1000, 2000)), null);
        assertThat(gap.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(gap.status().getDescription()).contains("gap").contains("has 0 bytes");
        AssetClient.Outcome shortStream = assets.send(header, bytes, 0, 2000, 1000);
        assertThat(shortStream.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(shortStream.status().getDescription()).contains("ended after 2000 of 3000 bytes");
        assertThat(awaitUnlocked(header).getCommittedOffset()).isEqualTo(2000);
    }

    @Test
    void aStoredFileWhoseRowWasNotMarkedCompleteIsRecognised() throws Exception {
        String exp = ingest.experiment("assets-crash");
        byte[] bytes = content(4000, 9);
        AssetHeader header = AssetClient.header(exp, "r", TRACE, bytes);
        assertThat(assets.send(header, bytes, 0, bytes.length, 4000).status().isOk()).isTrue();
        // As after a crash between moving the file into place and recording it.
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE run_asset SET state = 'UPLOADING', crc32c = NULL, completed_at = NULL "
                    + "WHERE relative_path = 'default/assets-crash/r/" + TRACE + "'");
        }
        assertThat(assets.state(header).getState()).isEqualTo(AssetState.State.STATE_COMPLETE);
        assertThat(new IndexQueries(dataSource).string(
                "SELECT state FROM run_asset WHERE relative_path = ?", "default/assets-crash/r/" + TRACE))
                .isEqualTo("COMPLETE");
    }

    private static long partialBytes(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** The state once the server has noticed the previous stream ended (it holds the asset until then). */
    private AssetState awaitUnlocked(AssetHeader header) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                return assets.state(header);
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.ABORTED || attempt > 500) {
                    throw e;
                }
                Thread.sleep(10);
            }
        }
    }
}
