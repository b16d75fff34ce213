package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.index.write.ScalarPoints;
import dev.athanor.ingest.rawlog.RunIdentity;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing and step-rewind detection, without PostgreSQL: stored rewinds are only recorded. */
class RecordRouterTest {

    private final RunIndexState state = new RunIndexState(new RunIdentity(1, 2, "p", "e", "run"), Path.of("run"));
    private final List<String> storedRewinds = new ArrayList<>();
    private final RecordRouter router = new RecordRouter(state, new TagBound(64),
            (series, step) -> storedRewinds.add(series.tag + "@" + step));
    private long offset;

    private void scalar(String tag, long step, float value) throws Exception {
        byte[] payload = Event.newBuilder().setStep(step).setWallTime(1000 + step).setSummary(Summary.newBuilder()
                .addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue(value))).build().toByteArray();
        route(payload);
    }

    private void route(byte[] payload) throws Exception {
        // Pad around the payload: the router must read only its own range.
        byte[] buf = new byte[payload.length + 7];
        System.arraycopy(payload, 0, buf, 3, payload.length);
        router.route("events.out.tfevents.1", offset, 0, offset, buf, 3, payload.length);
        offset += payload.length + 16;
    }

    private long[] bufferedSteps(String tag) {
        ScalarPoints p = state.series.get(tag).scalars;
        return Arrays.copyOf(p.steps, p.size);
    }

    @Test
    void increasingStepsAreBufferedInOrder() throws Exception {
        for (int step = 0; step < 5; step++) {
            scalar("loss", step, step * 0.5f);
        }

        assertThat(bufferedSteps("loss")).containsExactly(0, 1, 2, 3, 4);
        assertThat(state.series.get("loss").scalars.values[4]).isEqualTo(2.0);
        assertThat(state.minWallTime).isEqualTo(1000.0);
        assertThat(state.maxWallTime).isEqualTo(1004.0);
        assertThat(storedRewinds).isEmpty();
    }

    @Test
    void aStepBackReplacesTheBufferedPointsAtAndAfterIt() throws Exception {
        for (int step = 0; step < 5; step++) {
            scalar("loss", step, 1f);
        }
        scalar("loss", 2, 9f);
        scalar("loss", 3, 9f);

        assertThat(bufferedSteps("loss")).containsExactly(0, 1, 2, 3);
        assertThat(state.series.get("loss").scalars.values[2]).isEqualTo(9.0);
        assertThat(storedRewinds).as("nothing was stored yet").isEmpty();
    }

    @Test
    void aRewindTouchesOnlyItsOwnSeries() throws Exception {
        scalar("a", 1, 1f);
        scalar("b", 1, 1f);
        scalar("a", 2, 1f);
        scalar("b", 2, 1f);
        scalar("a", 1, 5f);

        assertThat(bufferedSteps("a")).containsExactly(1);
        assertThat(bufferedSteps("b")).containsExactly(1, 2);
    }

    @Test
    void aStepAtOrBelowTheStoredLastStepRewindsTheStoredPoints() throws Exception {
        scalar("loss", 0, 1f);
        SeriesState s = state.series.get("loss");
        // As after a commit: the series row exists with points up to step 10, nothing buffered.
        s.clearBuffers();
        s.id = 7;
        s.rollup.addPoint(10);

        scalar("loss", 11, 1f);
        assertThat(storedRewinds).isEmpty();
        scalar("loss", 10, 1f);
        assertThat(storedRewinds).containsExactly("loss@10");
        assertThat(bufferedSteps("loss")).containsExactly(10);
    }

    @Test
    void recordsThatAreNotEventsBecomeProblemsAndAreNotIndexed() throws Exception {
        route(new byte[0]);
        route(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        route(new byte[] {(byte) 0xb8, 0x06, 0x01}); // field 103, varint 1: parses, but only into an unknown field

        assertThat(state.problems).extracting(RunIndexState.Problem::kind)
                .containsExactly("EMPTY_RECORD", "NOT_AN_EVENT", "NOT_AN_EVENT");
        assertThat(state.problems.get(1).fileOffset()).isEqualTo(16);
        assertThat(state.series).isEmpty();
    }
}
