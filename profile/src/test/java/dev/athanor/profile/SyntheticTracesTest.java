package dev.athanor.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.profile.decode.EventKind;
import dev.athanor.profile.decode.ProfileFormat;
import dev.athanor.profile.index.Limits;
import dev.athanor.profile.index.ProfileIndex;
import dev.athanor.profile.xplane.XEvent;
import dev.athanor.profile.xplane.XEventMetadata;
import dev.athanor.profile.xplane.XLine;
import dev.athanor.profile.xplane.XPlane;
import dev.athanor.profile.xplane.XSpace;
import dev.athanor.profile.xplane.XStat;
import dev.athanor.profile.xplane.XStatMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces with accelerator planes, copies and memory, which this machine's CPU-only frameworks do not
 * write: built with the classes protoc generates from xplane.proto (an independent writer) and by
 * hand in Chrome trace JSON, with every time chosen so the expected numbers are exact.
 */
class SyntheticTracesTest {

    @TempDir
    Path dir;

    private static XEvent event(long metadata, long offsetNs, long durationNs, XStat... stats) {
        XEvent.Builder e = XEvent.newBuilder().setMetadataId(metadata).setOffsetPs(offsetNs * 1000)
                .setDurationPs(durationNs * 1000);
        for (XStat s : stats) {
            e.addStats(s);
        }
        return e.build();
    }

    @Test
    void anXPlaneWithADeviceSplitsTheStepAndCountsXlaOpsOnce() throws IOException {
        XPlane host = XPlane.newBuilder().setId(1).setName("/host:CPU")
                .putStatMetadata(1, XStatMetadata.newBuilder().setId(1).setName("step_num").build())
                .putStatMetadata(2, XStatMetadata.newBuilder().setId(2).setName("bytes_allocated").build())
                .putEventMetadata(1, XEventMetadata.newBuilder().setId(1).setName("train").build())
                .putEventMetadata(2, XEventMetadata.newBuilder().setId(2).setName("IteratorGetNext:IteratorGetNext")
                        .setDisplayName("IteratorGetNext").build())
                .putEventMetadata(3, XEventMetadata.newBuilder().setId(3).setName("MemoryAllocation").build())
                .addLines(XLine.newBuilder().setId(7).setName("python").setTimestampNs(1_000_000)
                        .addEvents(event(1, 0, 1000, XStat.newBuilder().setMetadataId(1).setInt64Value(5).build()))
                        .addEvents(event(2, 0, 100))
                        .addEvents(event(3, 50, 0, XStat.newBuilder().setMetadataId(2).setInt64Value(4096).build()))
                        .addEvents(event(1, 1000, 500, XStat.newBuilder().setMetadataId(1).setInt64Value(6).build())))
                .build();
        XPlane gpu = XPlane.newBuilder().setId(2).setName("/device:GPU:0")
                .putEventMetadata(1, XEventMetadata.newBuilder().setId(1).setName("fusion.1").build())
                .putEventMetadata(2, XEventMetadata.newBuilder().setId(2).setName("MemcpyH2D").build())
                .addLines(XLine.newBuilder().setId(1).setName("Stream #1").setTimestampNs(1_000_000)
                        .addEvents(event(1, 200, 300)).addEvents(event(2, 100, 100)))
                .addLines(XLine.newBuilder().setId(2).setName("XLA Ops").setTimestampNs(1_000_000)
                        .addEvents(event(1, 200, 300)))
                .build();
        Path file = dir.resolve("host.xplane.pb");
        Files.write(file, XSpace.newBuilder().addPlanes(host).addPlanes(gpu).addHostnames("host").build().toByteArray());

        try (ProfileIndex index = Profiles.decode(Traces.file(file), ProfileFormat.XPLANE, dir.resolve("i"), Limits.DEFAULT)) {
            assertThat(index.steps()).extracting(ProfileIndex.Step::step).containsExactly(5L, 6L);
            ProfileIndex.Step five = index.steps().get(0);
            // device 200..500, copy 100..200, input 0..100 (host op on the tf input), the rest of 1000 idle
            assertThat(five.durationNs()).isEqualTo(1000);
            assertThat(five.deviceCompute()).isEqualTo(300);
            assertThat(five.memcpyComm()).isEqualTo(100);
            assertThat(five.input()).isEqualTo(100);
            assertThat(five.other()).isEqualTo(0);
            assertThat(five.idle()).isEqualTo(500);
            assertThat(index.steps().get(1).idle()).isEqualTo(500);
            // fusion.1 counted from "XLA Ops" only (not again from the stream); the copy is a memcpy op
            assertThat(index.ops()).extracting(ProfileIndex.Op::name, ProfileIndex.Op::kind, ProfileIndex.Op::count)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("fusion.1", EventKind.DEVICE_OP, 1L),
                            org.assertj.core.groups.Tuple.tuple("IteratorGetNext:IteratorGetNext", EventKind.INPUT_OP, 1L),
                            org.assertj.core.groups.Tuple.tuple("MemcpyH2D", EventKind.MEMCPY, 1L));
            assertThat(index.memory()).singleElement().satisfies(m -> {
                assertThat(m.name()).isEqualTo("/host:CPU");
                assertThat(m.timeNs()).containsExactly(50);
                assertThat(m.bytes()).containsExactly(4096);
            });
            assertThat(index.lanes()).extracting(ProfileIndex.Lane::device).containsExactly(false, true, true);
        }
    }

    @Test
    void beginEndPairsNestAndSelfTimeExcludesChildOps() throws IOException {
        Path file = dir.resolve("w.pt.trace.json");
        Files.writeString(file, """
                {"traceEvents": [
                  {"ph": "M", "name": "thread_name", "pid": 1, "tid": 2, "args": {"name": "main"}},
                  {"ph": "X", "name": "ProfilerStep#7", "cat": "user_annotation", "ts": 0, "dur": 100, "pid": 1, "tid": 2},
                  {"ph": "B", "name": "aten::linear", "cat": "cpu_op", "ts": 10, "pid": 1, "tid": 2},
                  {"ph": "X", "name": "aten::addmm", "cat": "cpu_op", "ts": 20, "dur": 30, "pid": 1, "tid": 2},
                  {"ph": "E", "ts": 60, "pid": 1, "tid": 2},
                  {"ph": "X", "name": "void gemm_kernel", "cat": "kernel", "ts": 25.5, "dur": 20, "pid": 0, "tid": "stream 7"},
                  {"ph": "i", "name": "[memory]", "ts": 30, "pid": 1, "tid": 2, "s": "t",
                   "args": {"Total Allocated": 2048, "Device Id": -1}},
                  {"ph": "s", "name": "flow", "ts": 30, "pid": 1, "tid": 2}
                ]}""", StandardCharsets.UTF_8);
        try (ProfileIndex index = Profiles.decode(Traces.file(file), ProfileFormat.PYTORCH_TRACE, dir.resolve("i"),
                Limits.DEFAULT)) {
            assertThat(index.ops()).extracting(ProfileIndex.Op::name, ProfileIndex.Op::selfNs, ProfileIndex.Op::totalNs)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("aten::addmm", 30_000L, 30_000L),
                            org.assertj.core.groups.Tuple.tuple("aten::linear", 20_000L, 50_000L),
                            org.assertj.core.groups.Tuple.tuple("void gemm_kernel", 20_000L, 20_000L));
            ProfileIndex.Step step = index.steps().getFirst();
            assertThat(step.step()).isEqualTo(7);
            assertThat(step.deviceCompute()).isEqualTo(20_000);
            assertThat(step.hostCompute()).isEqualTo(30_000);
            assertThat(step.idle()).isEqualTo(50_000);
            assertThat(index.lanes()).extracting(ProfileIndex.Lane::name)
                    .containsExactly("process 1 · main", "process 0 · thread stream 7");
            assertThat(index.skipped()).containsEntry("'s' events (flows, async, samples)", 1L);
            assertThat(index.memory().getFirst().bytes()).containsExactly(2048);

            ProfileIndex.Window all = index.window(0, 100_000, 1000, 1000);
            assertThat(all.events()).hasSize(4);
            assertThat(all.events()).filteredOn(e -> e.lane() == 0).extracting(ProfileIndex.WindowEvent::depth)
                    .containsExactly(0, 1, 2);
            // a column of 50 µs merges the two short host ops at depth 1 and 2 with nothing, keeps counts
            ProfileIndex.Window coarse = index.window(0, 100_000, 2, 1000);
            assertThat(coarse.resolutionNs()).isEqualTo(50_000);
            assertThat(coarse.events()).hasSize(4);
            ProfileIndex.Window late = index.window(70_000, 100_000, 100, 1000);
            assertThat(late.events()).extracting(ProfileIndex.WindowEvent::startNs).containsExactly(0L);
        }
    }

    @Test
    void shortNeighboursMergeIntoOneBarCountingThem() throws IOException {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"ph\":\"X\",\"name\":\"op").append(i % 3)
                    .append("\",\"cat\":\"cpu_op\",\"ts\":").append(i * 10).append(",\"dur\":").append(i == 500 ? 9 : 5)
                    .append(",\"pid\":1,\"tid\":1}");
        }
        Path file = dir.resolve("many.pt.trace.json");
        Files.writeString(file, json.append("]").toString());
        try (ProfileIndex index = Profiles.decode(Traces.file(file), ProfileFormat.PYTORCH_TRACE, dir.resolve("i"),
                Limits.DEFAULT)) {
            ProfileIndex.Window window = index.window(0, index.spanNs(), 10, 100);
            assertThat(window.events()).singleElement().satisfies(e -> {
                assertThat(e.count()).isEqualTo(1000);
                assertThat(index.keys().get(e.key()).name()).isEqualTo("op2");   // the longest: #500
            });
            assertThat(index.window(0, index.spanNs(), 100_000, 100).truncated()).isTrue();
        }
    }
}
