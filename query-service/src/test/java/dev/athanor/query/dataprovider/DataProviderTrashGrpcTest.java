package dev.athanor.query.dataprovider;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.proto.tensorboard.data.GetExperimentRequest;
import dev.athanor.proto.tensorboard.data.ListBlobSequencesRequest;
import dev.athanor.proto.tensorboard.data.ListPluginsRequest;
import dev.athanor.proto.tensorboard.data.ListRunsRequest;
import dev.athanor.proto.tensorboard.data.ListScalarsRequest;
import dev.athanor.proto.tensorboard.data.ListTensorsRequest;
import dev.athanor.proto.tensorboard.data.PluginFilter;
import dev.athanor.proto.tensorboard.data.ReadScalarsRequest;
import dev.athanor.proto.tensorboard.data.Run;
import dev.athanor.proto.tensorboard.data.RunFilter;
import dev.athanor.proto.tensorboard.data.RunTagFilter;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: the trash hides runs and experiments from stock TensorBoard too. Through a real gRPC
 * channel on the data-provider port: a trashed run is absent from ListRuns, ListScalars,
 * ListTensors, ListBlobSequences and ReadScalars (even when named in the run filter); a trashed
 * experiment is NOT_FOUND; a restore brings both back as they were.
 */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(FreeGrpcPortResource.class)
class DataProviderTrashGrpcTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    QueryConfig config;

    private static PluginFilter plugin(String name) {
        return PluginFilter.newBuilder().setPluginName(name).build();
    }

    @Test
    void trashedRunsAndExperimentsAreHiddenFromTheDataProviderUntilRestored() throws Exception {
        IndexTestData data = new IndexTestData(dataSource);
        long experimentId = data.experiment(IndexTestData.unique("dp-trash"));
        Path dir = Files.createTempDirectory("dp-trash-events");
        FixtureIndexer.index(data, config.raw().hotRoot(), experimentId, "eval", DataProviderEvents.eval(dir));
        long train = FixtureIndexer.index(data, config.raw().hotRoot(), experimentId, "train",
                DataProviderEvents.train(dir)).runId();
        String experiment = Long.toString(experimentId);

        try (DataProviderClient client = new DataProviderClient(config.dataProvider().port())) {
            TensorBoardDataProviderBlockingStub stub = client.stub();
            assertThat(runNames(stub, experiment)).containsExactlyInAnyOrder("train", "eval");

            given().delete("/api/v1/runs/" + train).then().statusCode(200);
            assertThat(runNames(stub, experiment)).containsExactly("eval");
            assertThat(stub.listScalars(ListScalarsRequest.newBuilder().setExperimentId(experiment)
                    .setPluginFilter(plugin("scalars")).build()).getRunsList())
                    .extracting(r -> r.getRunName()).containsExactly("eval");
            assertThat(stub.listTensors(ListTensorsRequest.newBuilder().setExperimentId(experiment)
                    .setPluginFilter(plugin("histograms")).build()).getRunsList()).as("train's histograms").isEmpty();
            assertThat(stub.listBlobSequences(ListBlobSequencesRequest.newBuilder().setExperimentId(experiment)
                    .setPluginFilter(plugin("images")).build()).getRunsList()).as("train's images").isEmpty();
            assertThat(stub.listPlugins(ListPluginsRequest.newBuilder().setExperimentId(experiment).build())
                    .getPluginsList()).extracting(p -> p.getName()).containsExactly("scalars");
            assertThat(stub.readScalars(ReadScalarsRequest.newBuilder().setExperimentId(experiment)
                    .setPluginFilter(plugin("scalars")).setDownsample(
                            dev.athanor.proto.tensorboard.data.Downsample.newBuilder().setNumPoints(1000))
                    .setRunTagFilter(RunTagFilter.newBuilder().setRuns(RunFilter.newBuilder().addNames("train")))
                    .build()).getRunsList()).as("read by the trashed run's name").isEmpty();

            given().delete("/api/v1/experiments/" + experiment).then().statusCode(200);
            for (Runnable call : List.<Runnable>of(
                    () -> stub.getExperiment(GetExperimentRequest.newBuilder().setExperimentId(experiment).build()),
                    () -> stub.listRuns(ListRunsRequest.newBuilder().setExperimentId(experiment).build()))) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
            }

            given().post("/api/v1/experiments/" + experiment + "/restore").then().statusCode(200);
            assertThat(runNames(stub, experiment)).as("the experiment restored, its run still in the trash")
                    .containsExactly("eval");
            given().post("/api/v1/runs/" + train + "/restore").then().statusCode(200);
            assertThat(runNames(stub, experiment)).containsExactlyInAnyOrder("train", "eval");
            assertThat(stub.listTensors(ListTensorsRequest.newBuilder().setExperimentId(experiment)
                    .setPluginFilter(plugin("histograms")).build()).getRunsList())
                    .extracting(r -> r.getRunName()).containsExactly("train");
        }
    }

    private static List<String> runNames(TensorBoardDataProviderBlockingStub stub, String experiment) {
        return stub.listRuns(ListRunsRequest.newBuilder().setExperimentId(experiment).build()).getRunsList().stream()
                .map(Run::getName).toList();
    }
}
