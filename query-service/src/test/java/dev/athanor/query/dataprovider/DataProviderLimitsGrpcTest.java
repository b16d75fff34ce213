package dev.athanor.query.dataprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.proto.tensorboard.data.Downsample;
import dev.athanor.proto.tensorboard.data.PluginFilter;
import dev.athanor.proto.tensorboard.data.ReadScalarsRequest;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.testing.FreeGrpcPortResource;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** An answer over the configured size is refused with RESOURCE_EXHAUSTED saying what to ask for, never cut. */
@Tag("quarkus")
@QuarkusTest
@TestProfile(DataProviderLimitsGrpcTest.SmallAnswers.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(FreeGrpcPortResource.class)
class DataProviderLimitsGrpcTest {

    /** Answers of at most 4 KiB: 1000 scalar points (~20 KB) do not fit, 10 do. */
    public static class SmallAnswers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("athanor.query.data-provider.max-response-bytes", "4096");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    QueryConfig config;

    @Test
    void anAnswerOverTheBoundIsRefusedNotTruncated() throws InterruptedException {
        IndexTestData data = new IndexTestData(dataSource);
        long experiment = data.experiment(IndexTestData.unique("dataprovider-limits"));
        data.scalarSeries(data.run(experiment, "run"), "loss", new double[1000], 100);
        ReadScalarsRequest request = ReadScalarsRequest.newBuilder().setExperimentId(Long.toString(experiment))
                .setPluginFilter(PluginFilter.newBuilder().setPluginName("scalars"))
                .setDownsample(Downsample.newBuilder().setNumPoints(1000)).build();
        try (DataProviderClient client = new DataProviderClient(config.dataProvider().port())) {
            assertThatThrownBy(() -> client.stub().readScalars(request)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(e.getStatus().getDescription()).contains("4096-byte limit").contains("downsample.num_points");
            });
            assertThat(client.stub().readScalars(request.toBuilder().setDownsample(Downsample.newBuilder().setNumPoints(10))
                    .build()).getRuns(0).getTags(0).getData().getStepCount()).isEqualTo(10);
        }
    }
}
