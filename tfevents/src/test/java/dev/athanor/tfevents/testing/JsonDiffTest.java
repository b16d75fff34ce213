package dev.athanor.tfevents.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonDiffTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void equalTreesHaveNoDifferences() throws Exception {
        assertThat(JsonDiff.diff(json("{\"a\":[1,2.5,\"NaN\"],\"b\":{\"c\":null}}"),
                json("{\"b\":{\"c\":null},\"a\":[1,2.5,\"NaN\"]}"))).isEmpty();
    }

    @Test
    void integerAndDoubleOfTheSameValueAreEqual() throws Exception {
        assertThat(JsonDiff.diff(json("{\"count_sum\":200.0}"), json("{\"count_sum\":200}"))).isEmpty();
    }

    @Test
    void doublesAreComparedBitExactly() throws Exception {
        List<String> differences = JsonDiff.diff(json("[0.1]"), json("[0.10000000000000002]"));
        assertThat(differences).containsExactly("$[0]: expected 0.1, was 0.10000000000000002");
    }

    @Test
    void missingUnexpectedAndChangedValuesAreNamedByPath() throws Exception {
        List<String> differences = JsonDiff.diff(
                json("{\"tags\":{\"loss\":{\"points\":3,\"plugin\":\"scalars\"}}}"),
                json("{\"tags\":{\"loss\":{\"points\":4,\"extra\":true}}}"));
        assertThat(differences).containsExactly(
                "$[\"tags\"][\"loss\"][\"extra\"]: unexpected (was true)",
                "$[\"tags\"][\"loss\"][\"plugin\"]: missing (expected \"scalars\")",
                "$[\"tags\"][\"loss\"][\"points\"]: expected 3, was 4");
    }

    @Test
    void arraysOfDifferentLengthAndTypeMismatchesAreReported() throws Exception {
        assertThat(JsonDiff.diff(json("[1,2,3]"), json("[1,\"2\"]"))).containsExactly(
                "$: expected 3 elements, was 2", "$[1]: expected 2, was \"2\"");
    }

    @Test
    void aCorruptedScalarOfARealFixtureIsCaught() throws Exception {
        Path file = Fixtures.file("generated/tf_summary/rewind_in_file/"
                + "events.out.tfevents.1795729068.vm.29665.6.v2");
        JsonNode golden = GoldenSummary.readGolden(Fixtures.golden(file));
        var actual = GoldenSummary.of(file, Fixtures.relativeName(file)).summary();
        assertThat(JsonDiff.diff(golden, actual)).isEmpty();

        var scalars = (ArrayNode) actual.get("tags").get("loss").get("scalars");
        double value = scalars.get(10).get(2).doubleValue();
        ((ArrayNode) scalars.get(10)).set(2, Math.nextUp(value));
        assertThat(JsonDiff.diff(golden, actual)).singleElement().asString()
                .startsWith("$[\"tags\"][\"loss\"][\"scalars\"][10][2]: expected -5.0");
    }
}
