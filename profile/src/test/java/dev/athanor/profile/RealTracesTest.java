package dev.athanor.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.profile.decode.EventKind;
import dev.athanor.profile.decode.ProfileFormat;
import dev.athanor.profile.index.Limits;
import dev.athanor.profile.index.ProfileIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces written by the real frameworks (generate_profiles.py), decoded and checked against what the
 * frameworks' own tools say about the same files (expected.json, written by the generator).
 */
class RealTracesTest {

    @TempDir
    Path dir;

    private static JsonNode expected(String framework) throws IOException {
        return new ObjectMapper().readTree(Traces.resource(framework + "/expected.json").toFile());
    }

    @Test
    void pytorchStepsAndSelfTimesAgreeWithKeyAverages() throws IOException {
        JsonNode expected = expected("torch");
        try (ProfileIndex index = Profiles.decode(Traces.file(Traces.resource("torch/vm.pt.trace.json.gz")),
                ProfileFormat.PYTORCH_TRACE, dir, Limits.DEFAULT)) {
            assertThat(index.steps()).hasSize(expected.get("steps").asInt());
            assertThat(index.steps()).extracting(ProfileIndex.Step::name).allMatch(n -> n.startsWith("ProfilerStep#"));
            Map<String, long[]> byName = new HashMap<>();
            for (ProfileIndex.Op op : index.ops()) {
                long[] sum = byName.computeIfAbsent(op.name(), n -> new long[3]);
                sum[0] += op.count();
                sum[1] += op.selfNs();
                sum[2] += op.totalNs();
            }
            int compared = 0;
            for (var entry : byName.entrySet()) {
                JsonNode avg = expected.get("ops").get(entry.getKey());
                assertThat(avg).as("key_averages() has %s", entry.getKey()).isNotNull();
                long[] ours = entry.getValue();
                assertThat(ours[0]).as("count of %s", entry.getKey()).isEqualTo(avg.get("count").asLong());
                // key_averages sums float microseconds; the trace has them to the nanosecond
                assertThat(ours[1] / 1000.0).as("self time of %s", entry.getKey())
                        .isCloseTo(avg.get("selfUs").asDouble(), within(0.01 * ours[0] + 0.001 * avg.get("selfUs").asDouble()));
                assertThat(ours[2] / 1000.0).as("total time of %s", entry.getKey())
                        .isCloseTo(avg.get("totalUs").asDouble(), within(0.01 * ours[0] + 0.001 * avg.get("totalUs").asDouble()));
                compared++;
            }
            assertThat(compared).isGreaterThan(20);
            assertThat(index.ops().get(0).name()).isEqualTo("aten::mm");
            assertThat(index.memory()).extracting(ProfileIndex.Memory::name).contains("CPU");
            for (ProfileIndex.Step step : index.steps()) {
                assertThat(step.deviceCompute() + step.memcpyComm() + step.input() + step.hostCompute() + step.other()
                        + step.idle()).isEqualTo(step.durationNs());
                assertThat(step.hostCompute()).isPositive();
                assertThat(step.input()).isPositive();
            }
        }
    }

    @Test
    void tensorflowOpsAndStepsAgreeWithTheXPlaneReadByTensorflow() throws IOException {
        JsonNode host = expected("tf").get("planes").get("/host:CPU");
        try (ProfileIndex index = Profiles.decode(Traces.file(Traces.resource("tf/vm.xplane.pb")),
                ProfileFormat.XPLANE, dir, Limits.DEFAULT)) {
            // Keras marks each profiled batch with a step_num stat
            assertThat(index.steps()).hasSize(host.get("events").get("Profiled batch").get("count").asInt());
            assertThat(index.lanes()).extracting(ProfileIndex.Lane::name)
                    .contains("/host:CPU · python").allMatch(n -> n.startsWith("/host:CPU"));
            int tfOps = 0;
            for (ProfileIndex.Op op : index.ops()) {
                JsonNode counted = host.get("events").get(op.name());
                assertThat(counted).as(op.name()).isNotNull();
                assertThat(op.count()).as("count of %s", op.name()).isEqualTo(counted.get("count").asLong());
                assertThat(op.totalNs()).as("total of %s", op.name())
                        .isCloseTo(counted.get("totalPs").asLong() / 1000, within(op.count()));
                assertThat(op.selfNs()).isBetween(0L, op.totalNs());
                tfOps += op.kind() == EventKind.HOST_OP || op.kind() == EventKind.INPUT_OP ? 1 : 0;
            }
            long expectedTfOps = 0;
            for (var it = host.get("events").fieldNames(); it.hasNext(); ) {
                String name = it.next();
                expectedTfOps += name.contains(":") && !name.contains(": ") && !name.contains("::") ? 1 : 0;
            }
            assertThat(tfOps).isEqualTo((int) expectedTfOps);
            assertThat(index.ops()).extracting(ProfileIndex.Op::type).contains("MatMul", "_FusedMatMul");
            ProfileIndex.Step step = index.steps().get(0);
            assertThat(step.hostCompute()).isPositive();
            assertThat(step.input()).isPositive();
            assertThat(step.deviceCompute()).isZero();
        }
    }
}
