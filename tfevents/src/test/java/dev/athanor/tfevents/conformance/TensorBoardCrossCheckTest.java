package dev.athanor.tfevents.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.testing.OptionalPart;
import dev.athanor.testing.TensorBoardPython;
import dev.athanor.tfevents.compat.PluginNames;
import dev.athanor.tfevents.compat.TensorValues;
import dev.athanor.tfevents.decode.BlobSequencePoint;
import dev.athanor.tfevents.decode.DecodedValue;
import dev.athanor.tfevents.decode.HParamsExperiment;
import dev.athanor.tfevents.decode.HParamsSessionEnd;
import dev.athanor.tfevents.decode.HParamsSessionStart;
import dev.athanor.tfevents.decode.ScalarPoint;
import dev.athanor.tfevents.decode.TensorPoint;
import dev.athanor.tfevents.testing.Fixtures;
import dev.athanor.tfevents.testing.GoldenSummary;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Our migrated view of every fixture against TensorBoard's own: the script
 * {@code tensorboard/migrated_view.py} reads each file with TensorBoard's EventFileLoader
 * (data_compat + dataclass_compat) and this test compares, value by value, tag, step, plugin, data
 * class and content (scalars bit-exact, tensors element by element, blobs by SHA-256).
 *
 * <p>Known, intended differences: legacy histograms are DT_DOUBLE here and float32 in TensorBoard's
 * Python, and keep their empty end buckets as TensorBoard's data server does (the Python loader
 * drops them and moves min and max onto the outermost non-empty buckets): they are compared after
 * applying that rule to ours and rounding to float32; hparams records are typed values here (only
 * their series is compared); {@code __run_meta_graph__} values exist only here.
 *
 * <p>Needs a Python with the {@code tensorboard} package ({@link TensorBoardPython}); skipped when
 * there is none.
 */
class TensorBoardCrossCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> ourMigratedViewIsTensorBoards() throws Exception {
        List<Path> files = Fixtures.eventFiles();
        Path python = TensorBoardPython.withTensorBoard().orElse(null);
        OptionalPart.TENSORBOARD.assumePresent(python != null, TensorBoardPython::missing);
        Map<String, List<JsonNode>> tensorBoard = runTensorBoard(python, files);
        return files.stream().map(file -> DynamicTest.dynamicTest(Fixtures.relativeName(file), () -> {
            List<JsonNode> expected = tensorBoard.getOrDefault(file.toString(), List.of());
            List<DecodedValue> actual = new ArrayList<>();
            GoldenSummary.of(file, Fixtures.relativeName(file)).decoded().forEach(actual::addAll);
            actual.removeIf(value -> value.tag().equals(PluginNames.RUN_META_GRAPH_TAG));
            List<String> failures = new ArrayList<>();
            if (expected.size() != actual.size()) {
                failures.add("TensorBoard gives %d values, we give %d".formatted(expected.size(), actual.size()));
            }
            for (int i = 0; i < Math.min(expected.size(), actual.size()) && failures.size() < 20; i++) {
                compare(i, expected.get(i), actual.get(i), failures);
            }
            assertThat(failures).as("differences from TensorBoard's migrated view of %s",
                    Fixtures.relativeName(file)).isEmpty();
        }));
    }

    private static void compare(int index, JsonNode tb, DecodedValue ours, List<String> failures) {
        String where = "value %d (tag %s, step %d)".formatted(index, tb.get("tag").asText(), tb.get("step").asLong());
        check(failures, where, "tag", tb.get("tag").asText(), ours.tag());
        check(failures, where, "step", tb.get("step").asLong(), ours.step());
        check(failures, where, "plugin", tb.get("plugin").asText(), ours.pluginName());
        check(failures, where, "data class", tb.get("data_class").asText(), ours.dataClass().name());
        JsonNode elements = tb.get("elements");
        switch (ours) {
            case ScalarPoint scalar -> {
                check(failures, where, "rank", 0, tb.get("shape").size());
                check(failures, where, "element count", 1, elements.size());
                if (elements.size() == 1) {
                    check(failures, where, "scalar", GoldenSummary.number(scalar.value()), elements.get(0));
                }
            }
            case TensorPoint tensor -> {
                boolean legacyHistogram = tensor.dtype() == DataType.DT_DOUBLE
                        && tb.get("dtype").asText().equals("DT_FLOAT");
                if (legacyHistogram) {
                    double[] rows = asPythonLoaderMigratesHistograms(TensorValues.doubles(tensor.tensor()));
                    check(failures, where, "shape", tb.get("shape").toString(), "[" + rows.length / 3 + ",3]");
                    List<JsonNode> ours2 = new ArrayList<>();
                    for (double number : rows) {
                        ours2.add(GoldenSummary.number((double) (float) number));
                    }
                    check(failures, where, "elements", elements, JSON.valueToTree(ours2));
                    break;
                }
                check(failures, where, "shape", tb.get("shape").toString(), JSON.valueToTree(tensor.shape()).toString());
                check(failures, where, "dtype", tb.get("dtype").asText(), tensor.dtype().name());
                if (tensor.dtype() == DataType.DT_STRING) {
                    check(failures, where, "strings", elements, digests(tensor.tensor().getStringValList()));
                } else {
                    double[] numbers = TensorValues.doubles(tensor.tensor());
                    List<JsonNode> ours2 = new ArrayList<>();
                    for (double number : numbers == null ? new double[0] : numbers) {
                        ours2.add(GoldenSummary.number(number));
                    }
                    check(failures, where, "elements", elements, JSON.valueToTree(ours2));
                }
            }
            case BlobSequencePoint blobs -> {
                check(failures, where, "dtype", "DT_STRING", tb.get("dtype").asText());
                check(failures, where, "blobs", elements, digests(blobs.blobs()));
            }
            case HParamsExperiment e -> check(failures, where, "plugin", PluginNames.HPARAMS, ours.pluginName());
            case HParamsSessionStart s -> check(failures, where, "plugin", PluginNames.HPARAMS, ours.pluginName());
            case HParamsSessionEnd e -> check(failures, where, "plugin", PluginNames.HPARAMS, ours.pluginName());
        }
    }

    /**
     * Our legacy histogram rows (every bucket, min and max as the outer edges) as TensorBoard's
     * Python loader migrates the same value: empty buckets at both ends dropped, min and max moved
     * onto the outermost remaining rows; no rows when every bucket is empty.
     */
    static double[] asPythonLoaderMigratesHistograms(double[] rows) {
        int n = rows.length / 3;
        int first = 0;
        while (first < n && !(rows[first * 3 + 2] > 0)) {
            first++;
        }
        int last = n - 1;
        while (last >= first && !(rows[last * 3 + 2] > 0)) {
            last--;
        }
        if (first > last) {
            return new double[0];
        }
        double[] kept = Arrays.copyOfRange(rows, first * 3, (last + 1) * 3);
        kept[0] = rows[0];
        kept[kept.length - 2] = rows[rows.length - 2];
        return kept;
    }

    private static void check(List<String> failures, String where, String what, Object expected, Object actual) {
        boolean equal = expected instanceof JsonNode e && actual instanceof JsonNode a
                ? e.equals(new NumericEquality(), a) : expected.equals(actual);
        if (!equal) {
            String shownExpected = String.valueOf(expected);
            String shownActual = String.valueOf(actual);
            failures.add("%s: %s: TensorBoard %s, ours %s".formatted(where, what,
                    shownExpected.length() > 200 ? shownExpected.substring(0, 200) + "..." : shownExpected,
                    shownActual.length() > 200 ? shownActual.substring(0, 200) + "..." : shownActual));
        }
    }

    /** Numbers equal when their double values are bit-identical, whatever their JSON type. */
    private static final class NumericEquality implements Comparator<JsonNode> {
        @Override
        public int compare(JsonNode a, JsonNode b) {
            if (a.isNumber() && b.isNumber()) {
                return Double.doubleToLongBits(a.doubleValue()) == Double.doubleToLongBits(b.doubleValue()) ? 0 : 1;
            }
            return a.equals(b) ? 0 : 1;
        }
    }

    private static JsonNode digests(List<ByteString> blobs) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Map<String, Object>> digests = new ArrayList<>();
        for (ByteString blob : blobs) {
            Map<String, Object> digest = new LinkedHashMap<>();
            digest.put("len", blob.size());
            digest.put("sha256", HexFormat.of().formatHex(sha256.digest(blob.toByteArray())));
            digests.add(digest);
        }
        return JSON.valueToTree(digests);
    }

    private static Map<String, List<JsonNode>> runTensorBoard(Path python, List<Path> files) throws Exception {
        Path script = Files.createTempFile("migrated_view", ".py");
        try (InputStream in = TensorBoardCrossCheckTest.class.getResourceAsStream("/tensorboard/migrated_view.py")) {
            Files.write(script, in.readAllBytes());
        }
        Path output = Files.createTempFile("migrated_view", ".jsonl");
        Path errors = Files.createTempFile("migrated_view", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
            files.forEach(file -> command.add(file.toString()));
            Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                    .redirectError(errors.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("TensorBoard's loader did not finish within 10 minutes");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("TensorBoard's loader failed (exit %d): %s".formatted(process.exitValue(),
                        Files.readString(errors)));
            }
            Map<String, List<JsonNode>> byFile = new LinkedHashMap<>();
            for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                JsonNode value = JSON.readTree(line);
                byFile.computeIfAbsent(value.get("file").asText(), f -> new ArrayList<>()).add(value);
            }
            return byFile;
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }
}
