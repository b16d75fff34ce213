package dev.athanor.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.suite.LocalSuite;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.ProfilerOutput;
import dev.athanor.proto.ingest.v1.IngestServiceGrpc;
import dev.athanor.proto.ingest.v1.ServerInfoRequest;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.rawlog.SegmentNames;
import dev.athanor.systemtests.harness.ExportedPoints;
import dev.athanor.systemtests.harness.NginxGrpcBalancer;
import dev.athanor.systemtests.harness.TestSuites;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Uploads to two ingest replicas (one local suite, {@code --ingest-replicas 2}): through an nginx
 * gRPC load balancer (round robin per call), and with {@code athanor upload --endpoint A,B}
 * (round robin per connection). Every upload is acknowledged and every run's export equals what
 * {@code athanor inspect} says of its files, whichever replica owns it.
 *
 * <p>It does not depend on forwarding between replicas: without it, a batch for a run that lands
 * on a replica other than the owner is refused {@code UNAVAILABLE} and the uploader retries on
 * another connection (the next address of a list; the next upstream behind nginx); with it, the
 * replica passes the batch on. Either way the upload ends acknowledged and exact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancedUploadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REPLICAS = 2;

    private Path home;
    private LocalSuite suite;

    @BeforeAll
    void startTheSuite() throws Exception {
        home = Files.createTempDirectory("athanor-balanced-");
        suite = TestSuites.start(home, REPLICAS, "balanced");
    }

    @AfterAll
    void stopTheSuite() {
        TestSuites.stop(suite, home);
    }

    @Test
    @Order(1)
    void everyReplicaHasItsOwnPortsHotRootAndNodeName() {
        LocalSuite.Settings s = suite.settings();
        assertThat(suite.grpcEndpoints()).containsExactly("127.0.0.1:" + s.grpcPort(), "127.0.0.1:" + (s.grpcPort() + 1));
        assertThat(s.ingestHotRoot(0)).isEqualTo(home.resolve("hot"));
        assertThat(s.ingestHotRoot(1)).isEqualTo(home.resolve("hot-replicas/ingest-1"));
        assertThat(s.ingestNodeName(1)).contains("ingest-1");
        for (int i = 0; i < REPLICAS; i++) {
            assertThat(suite.ingestAlive(i)).as("replica %d", i).isTrue();
        }
    }

    @Test
    @Order(2)
    void uploadsThroughNginxReachBothReplicasAndEveryRunIsExact() throws Exception {
        try (NginxGrpcBalancer nginx = NginxGrpcBalancer.start(suite.grpcEndpoints(), home.resolve("nginx"))) {
            List<String> experiments = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                String experiment = "balanced-" + k;
                Path logdir = home.resolve("logdirs/" + experiment);
                writeRun(logdir.resolve("train"), "loss", 0, 200 + 50 * k);
                Cli.Outcome upload = Cli.run("upload", "--once", "--progress", "LOG", "--logdir", logdir.toString(),
                        "--experiment", experiment, "--endpoint", nginx.endpoint());
                assertThat(upload.exitCode()).as("upload %s through nginx: %s%s", experiment, upload, nginx.logs()).isZero();
                experiments.add(experiment);
            }
            // More files of a run one replica owns, through nginx, until an Upload stream of it has gone to
            // the other replica: refused there (UNAVAILABLE) and retried on the next call, which nginx
            // sends to the owner; or, with forwarding, passed on. An upload makes the same number of calls
            // each time: if that is odd the second attempt's stream goes to the other replica, if even one
            // GetServerInfo through nginx before the third shifts its round robin there.
            int owner = replicasHolding(List.of("balanced-0")).first();
            String nonOwner = suite.grpcEndpoint(1 - owner);
            Path again = home.resolve("logdirs/balanced-0");
            boolean nonOwnerReached = false;
            for (int attempt = 0; attempt < 3 && !nonOwnerReached; attempt++) {
                if (attempt == 2) {
                    shiftRoundRobin(nginx);
                }
                int before = settledCalls(nginx).size();
                writeRun(again.resolve("train"), "loss", 1000 * (attempt + 1), 100);
                Cli.Outcome more = Cli.run("upload", "--once", "--progress", "LOG", "--logdir", again.toString(),
                        "--experiment", "balanced-0", "--endpoint", nginx.endpoint(), "--retry-timeout", "PT2M");
                assertThat(more.exitCode()).as("more of balanced-0 through nginx: %s", more).isZero();
                List<NginxGrpcBalancer.Call> calls = settledCalls(nginx);
                calls.subList(before, calls.size()).forEach(c -> System.out.println("[balanced] nginx: " + c));
                nonOwnerReached = calls.subList(before, calls.size()).stream()
                        .anyMatch(c -> c.method().endsWith("/Upload") && c.upstream().equals(nonOwner));
            }
            assertThat(nonOwnerReached).as("an Upload stream of balanced-0 reached %s, the replica that does not own it",
                    nonOwner).isTrue();
            assertThat(replicasHolding(List.of("balanced-0"))).as("balanced-0 is written by its owner only")
                    .containsExactly(owner);

            for (String experiment : experiments) {
                assertExportEqualsInspect(experiment, home.resolve("logdirs/" + experiment));
            }
            TreeSet<String> uploadUpstreams = new TreeSet<>();
            Instant deadline = Instant.now().plusSeconds(10);
            List<NginxGrpcBalancer.Call> calls = List.of();
            while (Instant.now().isBefore(deadline) && uploadUpstreams.size() < REPLICAS) {
                calls = nginx.calls();
                calls.stream().filter(c -> c.method().endsWith("/Upload") && c.grpcStatus().equals("0"))
                        .forEach(c -> uploadUpstreams.add(c.upstream()));
                Thread.sleep(100);
            }
            // Which replica each call went to (a refused Upload stream shows grpc_status "-": the refusal
            // came as a trailers-only response, which nginx's $sent_trailer_grpc_status does not see).
            calls.forEach(c -> System.out.println("[balanced] nginx: " + c));
            assertThat(uploadUpstreams).as("replicas that acknowledged Upload streams through nginx; calls: %s", calls)
                    .containsExactlyInAnyOrderElementsOf(suite.grpcEndpoints());
            assertThat(replicasHolding(experiments)).as("replicas whose hot root holds segments of these runs")
                    .containsExactly(0, 1);
        }
    }

    @Test
    @Order(3)
    void anEndpointListSendsEachConnectionToTheNextReplica() throws Exception {
        String list = String.join(",", suite.grpcEndpoints());
        // The first connection to the address asked for: one run starts on each replica.
        for (int replica = 0; replica < REPLICAS; replica++) {
            String experiment = "listed-" + replica;
            Path logdir = home.resolve("logdirs/" + experiment);
            writeRun(logdir.resolve("train"), "accuracy", 0, 150);
            upload(logdir, experiment, list, replica);
            assertThat(replicasHolding(List.of(experiment))).as(experiment).containsExactly(replica);
        }
        // More of listed-0 (owned by replica 0), its first connection to replica 1: refused there
        // (not the owner) the retry goes to replica 0 — or, with forwarding, replica 1 passes it on.
        Path logdir = home.resolve("logdirs/listed-0");
        writeRun(logdir.resolve("train"), "accuracy", 150, 100);
        ByteArrayOutputStream output = upload(logdir, "listed-0", list, 1);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("connected to " + suite.grpcEndpoint(1));

        // The CLI takes the list as well (its first address at random).
        Path cliLogdir = home.resolve("logdirs/listed-cli");
        writeRun(cliLogdir.resolve("train"), "accuracy", 0, 120);
        writeRun(cliLogdir.resolve("eval"), "accuracy", 0, 30);
        Cli.Outcome cli = Cli.run("upload", "--once", "--logdir", cliLogdir.toString(), "--experiment", "listed-cli",
                "--endpoint", list);
        assertThat(cli.exitCode()).as(cli.toString()).isZero();

        for (String experiment : List.of("listed-0", "listed-1", "listed-cli")) {
            assertExportEqualsInspect(experiment, home.resolve("logdirs/" + experiment));
        }
    }

    @Test
    @Order(4)
    void aBadEndpointListIsRefusedWithWhatIsWrong() {
        Cli.Outcome outcome = Cli.run("upload", "--once", "--logdir", home.toString(), "--experiment", "x",
                "--endpoint", suite.grpcEndpoint(0) + ",127.0.0.1:0");
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stdout() + outcome.stderr()).contains("item 2 of the endpoint list")
                .contains("port '0' is not 1-65535");
    }

    @Test
    @Order(5)
    void aDrainedReplicaStopsWithinItsGraceAndComesBack() throws Exception {
        int exit = suite.drainIngest(1, Duration.ofSeconds(60));
        assertThat(suite.ingestAlive(1)).isFalse();
        assertThat(exit).as("ingest replica 1's exit code after SIGTERM").isIn(0, 143);
        // With replica 1 down, an upload to the list that starts there goes on to replica 0.
        Path logdir = home.resolve("logdirs/while-drained");
        writeRun(logdir.resolve("train"), "loss", 0, 80);
        upload(logdir, "while-drained", String.join(",", suite.grpcEndpoints()), 1);
        assertThat(replicasHolding(List.of("while-drained"))).containsExactly(0);

        suite.restartIngest(1);
        assertThat(suite.ingestAlive(1)).isTrue();
        Path after = home.resolve("logdirs/after-restart");
        writeRun(after.resolve("train"), "loss", 0, 80);
        upload(after, "after-restart", String.join(",", suite.grpcEndpoints()), 1);
        assertThat(replicasHolding(List.of("after-restart"))).containsExactly(1);
        assertExportEqualsInspect("while-drained", logdir);
        assertExportEqualsInspect("after-restart", after);
    }

    /** One call through nginx (answered by whichever replica is next): the next call goes to the other one. */
    private static void shiftRoundRobin(NginxGrpcBalancer nginx) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(nginx.endpoint()).usePlaintext().build();
        try {
            IngestServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getServerInfo(ServerInfoRequest.newBuilder().setClientVersion("load-balanced-test").build());
        } finally {
            channel.shutdownNow();
        }
    }

    /** nginx's calls once its access log has stopped growing (a call is logged when it has ended). */
    private static List<NginxGrpcBalancer.Call> settledCalls(NginxGrpcBalancer nginx) throws Exception {
        List<NginxGrpcBalancer.Call> calls = nginx.calls();
        for (int quiet = 0; quiet < 3; ) {
            Thread.sleep(150);
            List<NginxGrpcBalancer.Call> now = nginx.calls();
            quiet = now.size() == calls.size() ? quiet + 1 : 0;
            calls = now;
        }
        return calls;
    }

    @Test
    @Order(6)
    void aProfilerTraceStoredOnAnotherReplicaIsServedThroughThatReplica() throws Exception {
        Path logdir = home.resolve("logdirs/traced");
        writeRun(logdir.resolve("train"), "loss", 0, 20);
        List<String> traces = ProfilerOutput.writeSynthetic(logdir.resolve("train"), "host-a", 300_000, 1);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        UploadResult result = Uploader.run(UploadOptions.builder(logdir, "traced", String.join(",", suite.grpcEndpoints()))
                .once(true)
                .firstEndpoint(1)
                .assetQuietPeriod(Duration.ZERO)
                .progress(UploadOptions.ProgressMode.LOG)
                .out(new PrintStream(output, true, StandardCharsets.UTF_8))
                .environment(Map.of())
                .build());
        assertThat(result.succeeded()).as("%s%n%s", result.message(), output).isTrue();
        assertThat(result.assets()).isEqualTo(traces.size());
        // Replica 1 stored the trace; query-service reads only replica 0's hot root from disk.
        for (String trace : traces) {
            assertThat(suite.settings().ingestHotRoot(1).resolve("default/traced/train").resolve(trace)).exists();
            assertThat(suite.settings().ingestHotRoot(0).resolve("default/traced/train").resolve(trace)).doesNotExist();
        }
        JsonNode items = JSON.readTree(get("/api/v1/experiments?name=traced")).get("items");
        long experimentId = items.get(0).get("id").asLong();
        long runId = JSON.readTree(get("/api/v1/runs?experiment=" + experimentId)).get("items").get(0).get("id").asLong();
        JsonNode listing = JSON.readTree(get("/api/v1/runs/" + runId + "/assets?prefix="
                + URLEncoder.encode("plugins/profile/", StandardCharsets.UTF_8))).get("items");
        assertThat(listing).hasSize(traces.size());
        for (JsonNode item : listing) {
            byte[] local = Files.readAllBytes(logdir.resolve("train").resolve(item.get("path").asText()));
            assertThat(TestSuites.download(suite, item.get("downloadUrl").asText()))
                    .as("%s, read from replica 1 over its gRPC", item.get("path").asText()).isEqualTo(local);
        }
    }

    private ByteArrayOutputStream upload(Path logdir, String experiment, String endpoints, int first) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        UploadResult result = Uploader.run(UploadOptions.builder(logdir, experiment, endpoints)
                .once(true)
                .firstEndpoint(first)
                .initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofSeconds(1))
                .retryTimeout(Duration.ofMinutes(2))
                .progress(UploadOptions.ProgressMode.LOG)
                .out(new PrintStream(output, true, StandardCharsets.UTF_8))
                .environment(Map.of())
                .build());
        assertThat(result.succeeded()).as("upload of %s to %s (first %d): %s%n%s", experiment, endpoints, first,
                result.message(), output.toString(StandardCharsets.UTF_8)).isTrue();
        return output;
    }

    /** A new event file in {@code run} with {@code count} scalar points from {@code firstStep}. */
    private static void writeRun(Path run, String tag, int firstStep, int count) throws IOException {
        try (EventFileWriter writer = EventFileWriter.create(run)) {
            for (int step = firstStep; step < firstStep + count; step++) {
                writer.write(Event.newBuilder().setWallTime(1_790_000_000.5 + step).setStep(step)
                        .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag)
                                .setSimpleValue((float) Math.sin(step / 7.0))))
                        .build());
            }
        }
    }

    /** The replicas whose hot root holds raw segments of the experiments' runs. */
    private TreeSet<Integer> replicasHolding(List<String> experiments) throws IOException {
        TreeSet<Integer> replicas = new TreeSet<>();
        for (int i = 0; i < REPLICAS; i++) {
            for (String experiment : experiments) {
                Path dir = suite.settings().ingestHotRoot(i).resolve("default").resolve(experiment);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(dir)) {
                    if (files.anyMatch(p -> SegmentNames.isSegment(p.getFileName().toString()) && p.toFile().length() > 0)) {
                        replicas.add(i);
                    }
                }
            }
        }
        return replicas;
    }

    /** The export (every indexed value) equals an inspect of the files, as a set, each once. */
    private void assertExportEqualsInspect(String experiment, Path logdir) throws Exception {
        JsonNode items = JSON.readTree(get("/api/v1/experiments?name=" + URLEncoder.encode(experiment, StandardCharsets.UTF_8)))
                .get("items");
        assertThat(items).as("experiment %s", experiment).hasSize(1);
        ExportedPoints.assertExportEqualsInspect(this::get, items.get(0).get("id").asLong(), logdir, Duration.ofSeconds(120));
    }

    private String get(String pathAndQuery) {
        return TestSuites.get(suite, pathAndQuery);
    }
}
