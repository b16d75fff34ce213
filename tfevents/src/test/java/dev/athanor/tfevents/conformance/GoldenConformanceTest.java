package dev.athanor.tfevents.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.tfevents.testing.Fixtures;
import dev.athanor.tfevents.testing.GoldenSummary;
import dev.athanor.tfevents.testing.JsonDiff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every event file of the shared fixtures, decoded by Athanor, against its golden JSON (produced
 * by an independent decoder and cross-checked against TensorBoard 2.21): record counts, event
 * kinds, wall times, graphs, tags with plugin / value kind / point counts / tensor dtypes and
 * shapes, every scalar bit-exact, histograms, images, audio, text, PR curves, other tensors and
 * hparams. Files are discovered, so a new fixture with its golden JSON is checked without code
 * changes.
 */
class GoldenConformanceTest {

    @TestFactory
    Stream<DynamicTest> decodedFileMatchesItsGoldenJson() {
        List<Path> files = Fixtures.eventFiles();
        assertThat(files).as("event files under %s", Fixtures.dir()).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(Fixtures.relativeName(file), () -> {
            Path golden = Fixtures.golden(file);
            if (!Files.isRegularFile(golden)) {
                fail("fixture %s has no golden JSON at %s: every fixture needs one (see MANIFEST.md)",
                        Fixtures.relativeName(file), golden);
            }
            JsonNode expected = GoldenSummary.readGolden(golden);
            ObjectNode actual = GoldenSummary.of(file, Fixtures.relativeName(file)).summary();
            List<String> differences = JsonDiff.diff(expected, actual);
            if (!differences.isEmpty()) {
                fail("%s differs from %s:%n  %s", Fixtures.relativeName(file), golden,
                        String.join(System.lineSeparator() + "  ", differences));
            }
        }));
    }
}
