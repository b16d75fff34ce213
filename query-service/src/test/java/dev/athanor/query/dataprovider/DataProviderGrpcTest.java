package dev.athanor.query.dataprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.data.BlobReference;
import dev.athanor.proto.tensorboard.hparams.HParamsPluginData;
import dev.athanor.proto.tensorboard.data.Downsample;
import dev.athanor.proto.tensorboard.data.GetExperimentRequest;
import dev.athanor.proto.tensorboard.data.GetExperimentResponse;
import dev.athanor.proto.tensorboard.data.ListBlobSequencesRequest;
import dev.athanor.proto.tensorboard.data.ListBlobSequencesResponse;
import dev.athanor.proto.tensorboard.data.ListPluginsRequest;
import dev.athanor.proto.tensorboard.data.ListRunsRequest;
import dev.athanor.proto.tensorboard.data.ListScalarsRequest;
import dev.athanor.proto.tensorboard.data.ListScalarsResponse;
import dev.athanor.proto.tensorboard.data.ListTensorsRequest;
import dev.athanor.proto.tensorboard.data.ListTensorsResponse;
import dev.athanor.proto.tensorboard.data.Plugin;
import dev.athanor.proto.tensorboard.data.PluginFilter;
import dev.athanor.proto.tensorboard.data.ReadBlobRequest;
import dev.athanor.proto.tensorboard.data.ReadBlobResponse;
import dev.athanor.proto.tensorboard.data.ReadBlobSequencesRequest;
import dev.athanor.proto.tensorboard.data.ReadBlobSequencesResponse;
import dev.athanor.proto.tensorboard.data.ReadScalarsRequest;
import dev.athanor.proto.tensorboard.data.ReadScalarsResponse;
import dev.athanor.proto.tensorboard.data.ReadTensorsRequest;
import dev.athanor.proto.tensorboard.data.ReadTensorsResponse;
import dev.athanor.proto.tensorboard.data.Run;
import dev.athanor.proto.tensorboard.data.RunFilter;
import dev.athanor.proto.tensorboard.data.RunTagFilter;
import dev.athanor.proto.tensorboard.data.ScalarData;
import dev.athanor.proto.tensorboard.data.TagFilter;
import dev.athanor.proto.tensorboard.data.TensorBoardDataProviderGrpc.TensorBoardDataProviderBlockingStub;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.testing.FixtureIndexer;
import dev.athanor.query.testing.FreeGrpcPortResource;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every data-provider RPC through a real grpc-java channel on the configured port, over event
 * files written with the project's writer and indexed as ingest indexes them (real PostgreSQL,
 * blobs read back from the raw segment). Auth is off here, as in the local suite; refusals with
 * auth on are in {@link DataProviderAuthGrpcTest}.
 */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(FreeGrpcPortResource.class)
class DataProviderGrpcTest {

    private static final String STARTED_TRAIN = "2026-01-02T03:04:05.250Z";
    private static final String STARTED_EVAL = "2026-01-02T04:00:00Z";

    static String experimentId;
    /** An experiment whose runs logged hparams (kept in the run, as ingest keeps them). */
    static String hparamsExperimentId;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    QueryConfig config;

    DataProviderClient client;
    TensorBoardDataProviderBlockingStub stub;

    @BeforeEach
    void setUp() throws IOException {
        if (experimentId == null) {
            IndexTestData data = new IndexTestData(dataSource);
            long experiment = data.experiment(IndexTestData.unique("dataprovider"));
            Path dir = Files.createTempDirectory("dataprovider-events");
            long train = FixtureIndexer.index(data, config.raw().hotRoot(), experiment, "train",
                    DataProviderEvents.train(dir)).runId();
            long eval = FixtureIndexer.index(data, config.raw().hotRoot(), experiment, "eval",
                    DataProviderEvents.eval(dir)).runId();
            data.execute("UPDATE run SET started_at = ?::timestamptz WHERE id = ?", STARTED_TRAIN, train);
            data.execute("UPDATE run SET started_at = ?::timestamptz WHERE id = ?", STARTED_EVAL, eval);
            experimentId = Long.toString(experiment);
            hparamsExperimentId = Long.toString(hparamsExperiment(data));
        }
        client = new DataProviderClient(config.dataProvider().port());
        stub = client.stub();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        client.close();
    }

    @Test
    void getExperimentAnswersAthanorsExperimentByItsRestId() {
        GetExperimentResponse experiment = stub.getExperiment(GetExperimentRequest.newBuilder()
                .setExperimentId(experimentId).build());
        assertThat(experiment.getName()).startsWith("dataprovider-");
        assertThat(experiment.getDescription()).isEqualTo("test");
        assertThat(experiment.getDataLocation()).contains("experiment " + experiment.getName()).contains("id " + experimentId);
        assertThat(experiment.getCreationTime().getSeconds()).isGreaterThan(Instant.parse("2020-01-01T00:00:00Z").getEpochSecond());
    }

    @Test
    void anEmptyUnknownOrMalformedExperimentIdIsNotFound() {
        for (String id : List.of("", "987654321012", "default", "1; DROP TABLE run")) {
            assertThatThrownBy(() -> stub.listRuns(ListRunsRequest.newBuilder().setExperimentId(id).build()))
                    .as("experiment id '%s'", id)
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                        assertThat(e.getStatus().getDescription()).contains(id.isEmpty() ? "experiment_id is empty" : id);
                    });
        }
    }

    @Test
    void listPluginsNamesThePluginsWithDataInTheExperiment() {
        assertThat(stub.listPlugins(ListPluginsRequest.newBuilder().setExperimentId(experimentId).build())
                .getPluginsList()).extracting(Plugin::getName)
                .containsExactly("graphs", "histograms", "images", "scalars");
    }

    @Test
    void listRunsNamesRunsByPathWithTheirStartTimeOldestFirst() {
        List<Run> runs = stub.listRuns(ListRunsRequest.newBuilder().setExperimentId(experimentId).build()).getRunsList();
        assertThat(runs).extracting(Run::getName).containsExactly("train", "eval");
        assertThat(runs.get(0).getStartTime()).isEqualTo(Instant.parse(STARTED_TRAIN).toEpochMilli() / 1000.0);
        assertThat(runs.get(1).getStartTime()).isEqualTo(Instant.parse(STARTED_EVAL).getEpochSecond());
    }

    @Test
    void listScalarsGivesEachSeriesItsMetadataAsTheEventFileHadIt() {
        ListScalarsResponse response = stub.listScalars(ListScalarsRequest.newBuilder().setExperimentId(experimentId)
                .setPluginFilter(plugin("scalars")).build());
        assertThat(scalarTags(response)).isEqualTo(Map.of("eval", List.of("accuracy", "loss"), "train", List.of("loss")));
        ListScalarsResponse.TagEntry trainLoss = response.getRunsList().stream().filter(r -> r.getRunName().equals("train"))
                .findFirst().orElseThrow().getTags(0);
        assertThat(trainLoss.getMetadata().getMaxStep()).isEqualTo(DataProviderEvents.TRAIN_LOSS_POINTS - 1);
        assertThat(trainLoss.getMetadata().getMaxWallTime()).isEqualTo(1000.0 + DataProviderEvents.TRAIN_LOSS_POINTS - 1);
        assertThat(trainLoss.getMetadata().getSummaryMetadata().getPluginData().getPluginName()).isEqualTo("scalars");
        var evalAccuracy = response.getRunsList().stream().filter(r -> r.getRunName().equals("eval"))
                .findFirst().orElseThrow().getTags(0).getMetadata().getSummaryMetadata();
        assertThat(evalAccuracy.getDisplayName() + evalAccuracy.getSummaryDescription())
                .as("TensorBoard's data server ignores what a writer attached to a legacy value").isEmpty();
    }

    @Test
    void runAndTagFiltersSelectAbsentMeansAllAndEmptyMeansNone() {
        assertThat(scalarTags(listScalars(RunTagFilter.newBuilder().setRuns(RunFilter.newBuilder().addNames("eval")).build())))
                .isEqualTo(Map.of("eval", List.of("accuracy", "loss")));
        assertThat(scalarTags(listScalars(RunTagFilter.newBuilder().setTags(TagFilter.newBuilder().addNames("loss")).build())))
                .isEqualTo(Map.of("eval", List.of("loss"), "train", List.of("loss")));
        assertThat(scalarTags(listScalars(RunTagFilter.newBuilder().setRuns(RunFilter.newBuilder().addNames("train"))
                .setTags(TagFilter.newBuilder().addNames("accuracy")).build()))).isEmpty();
        assertThat(scalarTags(listScalars(RunTagFilter.newBuilder().setRuns(RunFilter.getDefaultInstance()).build()))).isEmpty();
        assertThat(scalarTags(listScalars(RunTagFilter.newBuilder().setTags(TagFilter.getDefaultInstance()).build()))).isEmpty();
        assertThat(scalarTags(listScalars(RunTagFilter.getDefaultInstance())))
                .isEqualTo(Map.of("eval", List.of("accuracy", "loss"), "train", List.of("loss")));
    }

    @Test
    void thePluginFilterSelectsOnePluginsSeriesAndIsRequired() {
        assertThat(stub.listScalars(ListScalarsRequest.newBuilder().setExperimentId(experimentId)
                .setPluginFilter(plugin("images")).build()).getRunsList()).isEmpty();
        assertThat(stub.listTensors(ListTensorsRequest.newBuilder().setExperimentId(experimentId)
                .setPluginFilter(plugin("scalars")).build()).getRunsList()).isEmpty();
        assertInvalid(() -> stub.listScalars(ListScalarsRequest.newBuilder().setExperimentId(experimentId).build()),
                "plugin_filter.plugin_name");
    }

    @Test
    void readScalarsReturnsEveryPointWhenThereAreFewerThanAskedFor() {
        ScalarData loss = readScalars("train", "loss", 1000);
        assertThat(loss.getStepCount()).isEqualTo(DataProviderEvents.TRAIN_LOSS_POINTS);
        for (int step = 0; step < DataProviderEvents.TRAIN_LOSS_POINTS; step++) {
            assertThat(loss.getStep(step)).isEqualTo(step);
            assertThat(loss.getWallTime(step)).isEqualTo(1000.0 + step);
            assertThat(loss.getValue(step)).isEqualTo(step / 2.0f);
        }
        assertThat(readScalars("train", "loss", DataProviderEvents.TRAIN_LOSS_POINTS).getStepList())
                .isEqualTo(loss.getStepList());
    }

    @Test
    void readScalarsDownsamplesDeterministicallyAndAlwaysKeepsTheNewestPoint() {
        assertThat(readScalars("train", "loss", 1).getStepList()).containsExactly(49L);
        assertThat(readScalars("train", "loss", 1).getValueList()).containsExactly(24.5f);
        for (int k : List.of(2, 7, 10, 49)) {
            ScalarData sample = readScalars("train", "loss", k);
            assertThat(sample.getStepCount()).as("k=%d", k).isEqualTo(k);
            assertThat(sample.getStepList()).as("k=%d", k).isSorted().doesNotHaveDuplicates().endsWith(49L);
            for (int i = 0; i < sample.getStepCount(); i++) {
                // Real points, not aggregates: each is the stored point at its step.
                assertThat(sample.getValue(i)).isEqualTo(sample.getStep(i) / 2.0f);
                assertThat(sample.getWallTime(i)).isEqualTo(1000.0 + sample.getStep(i));
            }
            assertThat(readScalars("train", "loss", k)).as("the same request, the same points").isEqualTo(sample);
        }
    }

    @Test
    void readScalarsWithZeroPointsAnswersTheSeriesWithoutPoints() {
        ReadScalarsResponse response = stub.readScalars(readScalarsRequest(RunTagFilter.getDefaultInstance(), 0));
        // Series come in run-name order (ListRuns alone orders by start time).
        assertThat(response.getRunsList()).extracting(ReadScalarsResponse.RunEntry::getRunName).containsExactly("eval", "train");
        response.getRunsList().forEach(run -> run.getTagsList().forEach(tag ->
                assertThat(tag.getData().getStepCount()).isZero()));
    }

    @Test
    void readsRefuseAMissingOrNegativeDownsampleNamingTheField() {
        ReadScalarsRequest request = readScalarsRequest(RunTagFilter.getDefaultInstance(), 1);
        assertInvalid(() -> stub.readScalars(request.toBuilder().clearDownsample().build()), "downsample");
        assertInvalid(() -> stub.readScalars(request.toBuilder().setDownsample(Downsample.newBuilder().setNumPoints(-1)).build()),
                "downsample.num_points");
        assertInvalid(() -> stub.readTensors(ReadTensorsRequest.newBuilder().setExperimentId(experimentId)
                .setPluginFilter(plugin("histograms")).build()), "downsample");
        assertInvalid(() -> stub.readBlobSequences(ReadBlobSequencesRequest.newBuilder().setExperimentId(experimentId)
                .setPluginFilter(plugin("images")).setDownsample(Downsample.newBuilder().setNumPoints(-5)).build()),
                "downsample.num_points");
    }

    @Test
    void histogramsAreTensorsWithTheirMetadataAndDownsampledSteps() {
        ListTensorsResponse list = stub.listTensors(ListTensorsRequest.newBuilder().setExperimentId(experimentId)
                .setPluginFilter(plugin("histograms")).build());
        assertThat(list.getRunsCount()).isEqualTo(1);
        ListTensorsResponse.TagEntry weights = list.getRuns(0).getTags(0);
        assertThat(list.getRuns(0).getRunName()).isEqualTo("train");
        assertThat(weights.getTagName()).isEqualTo("weights");
        assertThat(weights.getMetadata().getMaxStep()).isEqualTo(DataProviderEvents.HISTOGRAM_STEPS - 1);
        assertThat(weights.getMetadata().getSummaryMetadata().getPluginData().getPluginName()).isEqualTo("histograms");

        ReadTensorsResponse all = readTensors(100);
        assertThat(all.getRuns(0).getTags(0).getData().getStepList()).hasSize(DataProviderEvents.HISTOGRAM_STEPS);
        var five = readTensors(5).getRuns(0).getTags(0).getData();
        assertThat(five.getStepList()).hasSize(5).isSorted().endsWith((long) DataProviderEvents.HISTOGRAM_STEPS - 1);
        assertThat(readTensors(5).getRuns(0).getTags(0).getData()).isEqualTo(five);
        // TensorBoard's histogram tensor: k buckets of [left, right, count].
        var last = five.getValue(4);
        assertThat(last.getTensorShape().getDimList()).extracting(d -> d.getSize()).containsExactly(2L, 3L);
        assertThat(readTensors(0).getRuns(0).getTags(0).getData().getStepCount()).isZero();
    }

    @Test
    void imagesAreBlobSequencesWhoseBytesComeBackExactlyInChunks() {
        ListBlobSequencesResponse list = stub.listBlobSequences(ListBlobSequencesRequest.newBuilder()
                .setExperimentId(experimentId).setPluginFilter(plugin("images")).build());
        var sample = list.getRuns(0).getTags(0);
        assertThat(sample.getTagName()).isEqualTo("sample");
        assertThat(sample.getMetadata().getMaxLength()).as("width, height, image").isEqualTo(3);
        assertThat(sample.getMetadata().getMaxStep()).isEqualTo(DataProviderEvents.IMAGE_STEPS - 1);
        assertThat(sample.getMetadata().getSummaryMetadata().getPluginData().getPluginName()).isEqualTo("images");

        var data = readBlobSequences("images", 10).getRuns(0).getTags(0).getData();
        assertThat(data.getStepList()).containsExactly(0L, 1L, 2L);
        for (int step = 0; step < DataProviderEvents.IMAGE_STEPS; step++) {
            List<BlobReference> refs = data.getValues(step).getBlobRefsList();
            assertThat(refs).hasSize(3);
            List<ReadBlobResponse> chunks = readBlobChunks(refs.get(2).getBlobKey());
            assertThat(chunks).as("1.5 MB in 1 MiB chunks").hasSize(2);
            assertThat(chunks.get(0).getData().size()).isEqualTo(1 << 20);
            assertThat(concat(chunks)).isEqualTo(DataProviderEvents.image(step));
            assertThat(new String(concat(readBlobChunks(refs.get(0).getBlobKey())))).isEqualTo("4");
            assertThat(new String(concat(readBlobChunks(refs.get(1).getBlobKey())))).isEqualTo("3");
        }
        assertThat(readBlobSequences("images", 1).getRuns(0).getTags(0).getData().getStepList()).containsExactly(2L);
    }

    @Test
    void theRunGraphIsABlobSequenceOfTheGraphsPlugin() {
        var graph = readBlobSequences("graphs", 10).getRuns(0).getTags(0);
        assertThat(graph.getTagName()).isEqualTo("__run_graph__");
        assertThat(concat(readBlobChunks(graph.getData().getValues(0).getBlobRefs(0).getBlobKey())))
                .isEqualTo(DataProviderEvents.GRAPH);
    }

    @Test
    void readBlobRefusesKeysItDidNotHandOut() {
        assertInvalid(() -> readBlobChunks("not-a-key"), "blob_key");
        String key = readBlobSequences("graphs", 1).getRuns(0).getTags(0).getData().getValues(0).getBlobRefs(0).getBlobKey();
        String[] parts = key.split("\\.");
        String otherExperiment = "987654321." + String.join(".", List.of(parts).subList(1, parts.length));
        assertThatThrownBy(() -> readBlobChunks(otherExperiment)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        String missingIndex = parts[0] + "." + parts[1] + "." + parts[2] + ".7." + parts[4];
        assertThatThrownBy(() -> readBlobChunks(missingIndex)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getDescription()).contains("no index 7"));
    }

    @Test
    void hparamsAreTheHparamsPluginsTensorsWithTheRecordsInTheirMetadata() throws Exception {
        assertThat(stub.listPlugins(ListPluginsRequest.newBuilder().setExperimentId(hparamsExperimentId).build())
                .getPluginsList()).extracting(Plugin::getName).containsExactly("hparams");
        ListTensorsResponse list = stub.listTensors(ListTensorsRequest.newBuilder().setExperimentId(hparamsExperimentId)
                .setPluginFilter(plugin("hparams")).build());
        Map<String, Map<String, HParamsPluginData>> content = new java.util.LinkedHashMap<>();
        for (ListTensorsResponse.RunEntry run : list.getRunsList()) {
            for (ListTensorsResponse.TagEntry tag : run.getTagsList()) {
                var pluginData = tag.getMetadata().getSummaryMetadata().getPluginData();
                assertThat(pluginData.getPluginName()).isEqualTo("hparams");
                content.computeIfAbsent(run.getRunName(), r -> new java.util.LinkedHashMap<>())
                        .put(tag.getTagName(), HParamsPluginData.parseFrom(pluginData.getContent()));
            }
        }
        assertThat(content.keySet()).containsExactlyInAnyOrder(".", "lr-0.1");
        assertThat(content.get(".")).containsOnlyKeys("_hparams_/experiment");
        var experiment = content.get(".").get("_hparams_/experiment").getExperiment();
        assertThat(experiment.getDescription()).isEqualTo("sweep");
        assertThat(experiment.getTimeCreatedSecs()).isEqualTo(1700000000.5);
        assertThat(experiment.getHparamInfosList()).extracting(h -> h.getName()).containsExactly("lr", "optimizer");
        assertThat(experiment.getHparamInfos(0).getDisplayName()).isEqualTo("learning rate");
        assertThat(experiment.getHparamInfos(0).getDomainInterval().getMaxValue()).isEqualTo(1.0);
        assertThat(experiment.getHparamInfos(1).getDomainDiscrete().getValuesList()).extracting(v -> v.getStringValue())
                .containsExactly("adam", "sgd");
        assertThat(experiment.getMetricInfos(0).getName().getGroup()).isEqualTo("validation");
        assertThat(experiment.getMetricInfos(0).getDatasetType().name()).isEqualTo("DATASET_VALIDATION");

        assertThat(content.get("lr-0.1")).containsOnlyKeys("_hparams_/session_start_info", "_hparams_/session_end_info");
        var start = content.get("lr-0.1").get("_hparams_/session_start_info").getSessionStartInfo();
        assertThat(start.getHparamsMap().get("lr").getNumberValue()).isEqualTo(0.1);
        assertThat(start.getHparamsMap().get("optimizer").getStringValue()).isEqualTo("adam");
        assertThat(start.getHparamsMap().get("deep").getBoolValue()).isTrue();
        assertThat(start.getHparamsMap().get("note").hasNullValue()).isTrue();
        assertThat(start.getGroupName()).isEqualTo("g1");
        assertThat(start.getStartTimeSecs()).as("the session's own start, not the run's").isEqualTo(1700000100.25);
        assertThat(start.getModelUri()).isEqualTo("gs://models/lr-0.1");
        var end = content.get("lr-0.1").get("_hparams_/session_end_info").getSessionEndInfo();
        assertThat(end.getStatus().name()).isEqualTo("STATUS_SUCCESS");
        assertThat(end.getEndTimeSecs()).isEqualTo(1700000200.75);

        ListTensorsResponse startsOnly = stub.listTensors(ListTensorsRequest.newBuilder().setExperimentId(hparamsExperimentId)
                .setPluginFilter(plugin("hparams")).setRunTagFilter(RunTagFilter.newBuilder()
                        .setTags(TagFilter.newBuilder().addNames("_hparams_/session_start_info"))).build());
        assertThat(startsOnly.getRunsList()).singleElement().satisfies(r -> assertThat(r.getTagsList())
                .extracting(ListTensorsResponse.TagEntry::getTagName).containsExactly("_hparams_/session_start_info"));
        ReadTensorsResponse read = stub.readTensors(ReadTensorsRequest.newBuilder().setExperimentId(hparamsExperimentId)
                .setPluginFilter(plugin("hparams")).setDownsample(Downsample.newBuilder().setNumPoints(10)).build());
        assertThat(read.getRunsList()).flatExtracting(ReadTensorsResponse.RunEntry::getTagsList)
                .hasSize(3).allSatisfy(t -> assertThat(t.getData().getStepCount()).isZero());
    }

    // ---- helpers

    /**
     * Runs as ingest leaves them after hparams records: "." holds the definition
     * (run.hparams_config), "lr-0.1" a finished session (values, group, status).
     */
    private static long hparamsExperiment(IndexTestData data) {
        long experiment = data.experiment(IndexTestData.unique("dataprovider-hparams"));
        long root = data.run(experiment, ".");
        long session = data.run(experiment, "lr-0.1", "FINISHED", Instant.parse(STARTED_TRAIN),
                "{\"lr\": 0.1, \"optimizer\": \"adam\", \"deep\": true, \"note\": null}");
        data.execute("UPDATE run SET session_group = 'g1', session_status = 'STATUS_SUCCESS', session_start_secs = 1700000100.25,"
                + " session_end_secs = 1700000200.75, session_model_uri = 'gs://models/lr-0.1' WHERE id = ?", session);
        data.execute("UPDATE run SET hparams_config = ?::jsonb WHERE id = ?", """
                {"name": "", "description": "sweep", "user": "", "time_created_secs": 1700000000.5,
                 "hparams": [
                   {"name": "lr", "display_name": "learning rate", "description": "", "type": "DATA_TYPE_FLOAT64",
                    "domain": {"interval": {"min": 0.001, "max": 1.0}}, "differs": false},
                   {"name": "optimizer", "display_name": "", "description": "", "type": "DATA_TYPE_STRING",
                    "domain": {"discrete": ["adam", "sgd"]}, "differs": false}],
                 "metrics": [{"group": "validation", "tag": "epoch_accuracy", "display_name": "accuracy",
                              "description": "", "dataset_type": "DATASET_VALIDATION"}]}""", root);
        return experiment;
    }

    private static PluginFilter plugin(String name) {
        return PluginFilter.newBuilder().setPluginName(name).build();
    }

    private ListScalarsResponse listScalars(RunTagFilter filter) {
        return stub.listScalars(ListScalarsRequest.newBuilder().setExperimentId(experimentId)
                .setPluginFilter(plugin("scalars")).setRunTagFilter(filter).build());
    }

    private static Map<String, List<String>> scalarTags(ListScalarsResponse response) {
        return response.getRunsList().stream().collect(Collectors.toMap(ListScalarsResponse.RunEntry::getRunName,
                r -> r.getTagsList().stream().map(ListScalarsResponse.TagEntry::getTagName).toList()));
    }

    private ReadScalarsRequest readScalarsRequest(RunTagFilter filter, long numPoints) {
        return ReadScalarsRequest.newBuilder().setExperimentId(experimentId).setPluginFilter(plugin("scalars"))
                .setRunTagFilter(filter).setDownsample(Downsample.newBuilder().setNumPoints(numPoints)).build();
    }

    private ScalarData readScalars(String run, String tag, long numPoints) {
        ReadScalarsResponse response = stub.readScalars(readScalarsRequest(RunTagFilter.newBuilder()
                .setRuns(RunFilter.newBuilder().addNames(run)).setTags(TagFilter.newBuilder().addNames(tag)).build(), numPoints));
        assertThat(response.getRunsCount()).isEqualTo(1);
        assertThat(response.getRuns(0).getTagsCount()).isEqualTo(1);
        return response.getRuns(0).getTags(0).getData();
    }

    private ReadTensorsResponse readTensors(long numPoints) {
        return stub.readTensors(ReadTensorsRequest.newBuilder().setExperimentId(experimentId)
                .setPluginFilter(plugin("histograms")).setDownsample(Downsample.newBuilder().setNumPoints(numPoints)).build());
    }

    private ReadBlobSequencesResponse readBlobSequences(String plugin, long numPoints) {
        return stub.readBlobSequences(ReadBlobSequencesRequest.newBuilder().setExperimentId(experimentId)
                .setPluginFilter(plugin(plugin)).setDownsample(Downsample.newBuilder().setNumPoints(numPoints)).build());
    }

    private List<ReadBlobResponse> readBlobChunks(String key) {
        List<ReadBlobResponse> chunks = new ArrayList<>();
        Iterator<ReadBlobResponse> it = stub.readBlob(ReadBlobRequest.newBuilder().setBlobKey(key).build());
        it.forEachRemaining(chunks::add);
        return chunks;
    }

    private static byte[] concat(List<ReadBlobResponse> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.stream().map(ReadBlobResponse::getData).map(ByteString::toByteArray).forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains(field);
        });
    }
}
