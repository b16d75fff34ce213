package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.ingest.testing.Golden;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.tfevents.testing.Fixtures;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Streams every fixture event file through a real gRPC client, one run per fixture directory, and
 * checks the index in SQL against the golden JSON: every scalar point (after TensorBoard's rewind
 * rule), histogram and image point counts, and hparams.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class FixtureIngestTest {

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IndexScheduler scheduler;

    @Test
    void everyFixtureIsIndexedAsTheGoldenDataSays() throws Exception {
        IngestClient client = new IngestClient(channel);
        IndexQueries sql = new IndexQueries(dataSource);
        String experiment = client.experiment("fixtures");
        Map<String, List<Path>> runs = new TreeMap<>();
        for (Path file : Fixtures.eventFiles()) {
            String rel = Fixtures.relativeName(file);
            String dir = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : ".";
            runs.computeIfAbsent(dir, d -> new ArrayList<>()).add(file);
        }
        runs.values().forEach(files -> files.sort((a, b) -> a.getFileName().toString()
                .compareTo(b.getFileName().toString())));
        Map<String, Long> runIds = new TreeMap<>();
        for (var run : runs.entrySet()) {
            runIds.put(run.getKey(), client.run(experiment, run.getKey()));
            client.upload(experiment, run.getKey(), run.getValue(), 64);
        }
        for (long runId : runIds.values()) {
            scheduler.awaitCaughtUp(runId, Duration.ofSeconds(60));
        }

        int seriesChecked = 0;
        long pointsChecked = 0;
        for (var run : runs.entrySet()) {
            long runId = runIds.get(run.getKey());
            Map<String, List<IndexQueries.Point>> expected = Golden.scalars(run.getValue());
            Map<String, List<IndexQueries.Point>> actual = sql.scalars(runId);
            assertThat(actual.keySet()).as("scalar tags of run %s", run.getKey())
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (var tag : expected.entrySet()) {
                List<IndexQueries.Point> got = actual.get(tag.getKey());
                assertThat(got).as("run %s tag %s", run.getKey(), tag.getKey())
                        .usingElementComparator(IndexQueries.Point::compareTo)
                        .containsExactlyElementsOf(tag.getValue());
                pointsChecked += got.size();
                seriesChecked++;
            }
            // The series roll-up agrees with the points.
            for (var tag : expected.entrySet()) {
                List<IndexQueries.Point> pts = tag.getValue();
                var row = sql.rows("""
                        SELECT point_count, first_step, last_step, last_value FROM series WHERE run_id = ? AND tag = ?""",
                        runId, tag.getKey()).getFirst();
                assertThat(((Number) row.get(0)).longValue()).isEqualTo(pts.size());
                assertThat(((Number) row.get(1)).longValue()).isEqualTo(pts.getFirst().step());
                assertThat(((Number) row.get(2)).longValue()).isEqualTo(pts.getLast().step());
                assertThat(Double.compare(((Number) row.get(3)).doubleValue(), pts.getLast().value())).isZero();
            }
        }
        assertThat(seriesChecked).isGreaterThan(100);
        assertThat(pointsChecked).isGreaterThan(15_000);

        // Histograms, images, graphs and text are reachable; blob references point at the raw records.
        long custom = runIds.get("generated/tf_summary/custom_loop");
        assertThat(sql.count("""
                SELECT count(*) FROM tensor_point t JOIN series s ON s.id = t.series_id
                WHERE s.run_id = ? AND s.tag = 'weights/dense_kernel' AND s.plugin = 'histograms'""", custom))
                .isEqualTo(4);
        assertThat(sql.count("""
                SELECT count(*) FROM blob_sequence_point b JOIN series s ON s.id = b.series_id
                WHERE s.run_id = ? AND s.tag = 'samples' AND s.plugin = 'images' AND s.data_class = 3
                  AND b.blob_count = 5""", custom)).isEqualTo(2);
        assertThat(sql.count("""
                SELECT count(*) FROM tensor_point t JOIN series s ON s.id = t.series_id
                WHERE s.run_id = ? AND s.tag = 'notes' AND s.plugin = 'text'""", custom)).isEqualTo(2);
        long pytorch = runIds.get("generated/pytorch/runs/exp1");
        assertThat(sql.count("""
                SELECT count(*) FROM blob_sequence_point b JOIN series s ON s.id = b.series_id
                WHERE s.run_id = ? AND s.tag = '__run_graph__'""", pytorch)).isEqualTo(1);
        assertThat(sql.count("""
                SELECT count(*) FROM tensor_point t JOIN series s ON s.id = t.series_id
                WHERE s.run_id = ? AND s.tag = 'fc1.weight'""", pytorch)).isEqualTo(3);

        // hparams: typed session values and the experiment config.
        ObjectMapper json = new ObjectMapper();
        JsonNode hparams = json.readTree(sql.string("SELECT hparams::text FROM run WHERE id = ?",
                runIds.get("generated/tf_summary/hparam_tuning/run-0")));
        assertThat(hparams.get("learning_rate").asDouble()).isEqualTo(0.001);
        assertThat(hparams.get("num_units").asDouble()).isEqualTo(16.0);
        assertThat(hparams.get("optimizer").asText()).isEqualTo("adam");
        assertThat(hparams.get("use_batchnorm").isBoolean()).isTrue();
        assertThat(hparams.get("use_batchnorm").asBoolean()).isTrue();
        JsonNode config = json.readTree(sql.string("SELECT hparams_config::text FROM run WHERE id = ?",
                runIds.get("generated/tf_summary/hparam_tuning")));
        assertThat(config.get("hparams")).hasSize(4);
        assertThat(config.get("metrics").get(0).get("tag").asText()).isEqualTo("accuracy");
        long lightning = runIds.get("carlschader-labeled-contrastive-framework/lightning_logs/version_0");
        assertThat(sql.string("SELECT session_status FROM run WHERE id = ?", lightning)).isEqualTo("STATUS_SUCCESS");
        // Series whose first value was legacy (TF1 simple_value) are marked; TF2 tensor summaries are not.
        assertThat(sql.count("SELECT count(*) FROM series WHERE run_id = ? AND from_legacy_value",
                runIds.get("tensorflow-lingvo/lingvo/core/ops/testdata"))).isEqualTo(7);
        assertThat(sql.count("SELECT count(*) FROM series WHERE run_id = ? AND from_legacy_value",
                runIds.get("alwaysproblem-tensorboard-review/logs/custom/20200328-162351"))).isZero();
        // The session's own times, as written (TensorBoard shows these, not the run's first event).
        String tuned = "generated/tf_summary/hparam_tuning/run-0";
        JsonNode sessionStart = Golden.of(runs.get(tuned).getFirst()).get("hparams").get(0);
        assertThat(sessionStart.get("tag").asText()).isEqualTo("_hparams_/session_start_info");
        assertThat(sql.rows("SELECT session_start_secs FROM run WHERE id = ?", runIds.get(tuned)).getFirst().getFirst())
                .isEqualTo(sessionStart.get("start_time_secs").asDouble());
        assertThat(sql.rows("SELECT session_start_secs, session_end_secs FROM run WHERE id = ?", lightning).getFirst())
                .as("Lightning writes 0 for both").containsExactly(0.0, 0.0);

        // Every run has its files' offsets indexed and its segments cataloged.
        for (var run : runs.entrySet()) {
            long runId = runIds.get(run.getKey());
            long bytes = run.getValue().stream().mapToLong(p -> p.toFile().length()).sum();
            assertThat(sql.count("SELECT sum(indexed_offset) FROM source_file WHERE run_id = ?", runId))
                    .as("indexed bytes of %s", run.getKey()).isEqualTo(bytes);
            assertThat(sql.count("SELECT sum(size_bytes) FROM raw_segment WHERE run_id = ?", runId)).isEqualTo(bytes);
            assertThat(sql.string("SELECT min(started_at)::text FROM run WHERE id = ?", runId)).isNotNull();
        }
        assertThat(sql.count("SELECT count(*) FROM ingest_problem WHERE run_id IN (SELECT id FROM run WHERE experiment_id = ?)",
                Long.parseLong(experiment))).isZero();
    }
}
