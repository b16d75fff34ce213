package dev.athanor.cli.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.cli.AthanorCommand;
import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.TensorShapeProto;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.tfevents.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    /** What one run of the command printed and returned. */
    record Outcome(int exitCode, String stdout, String stderr) {
    }

    private static Outcome run(String... args) {
        PrintStream originalOut = System.out;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StringWriter stderr = new StringWriter();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            CommandLine commandLine = AthanorCommand.commandLine();
            commandLine.setErr(new PrintWriter(stderr, true));
            int code = commandLine.execute(args);
            return new Outcome(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString());
        } finally {
            System.setOut(originalOut);
        }
    }

    @Test
    void jsonlScalarsOfEveryFixtureEqualTheGoldenSeries() throws IOException {
        for (Path file : Fixtures.eventFiles()) {
            JsonNode golden = JSON.readTree(Fixtures.golden(file).toFile());
            Outcome outcome = run("inspect", "--format", "jsonl", file.toString());
            assertThat(outcome.exitCode()).as(file + ": " + outcome.stderr()).isZero();

            List<String> expected = new ArrayList<>();
            golden.get("tags").fields().forEachRemaining(tag -> {
                JsonNode scalars = tag.getValue().get("scalars");
                if (scalars != null) {
                    scalars.forEach(point -> expected.add(tag.getKey() + "|" + point.get(0).asLong() + "|"
                            + point.get(1).asDouble() + "|" + number(point.get(2))));
                }
            });
            List<String> actual = new ArrayList<>();
            for (String line : outcome.stdout().split("\n")) {
                JsonNode value = JSON.readTree(line);
                assertThat(value.get("run").asText()).isEqualTo(".");
                if (value.has("value")) {
                    actual.add(value.get("tag").asText() + "|" + value.get("step").asLong() + "|"
                            + value.get("wall_time").asDouble() + "|" + number(value.get("value")));
                }
            }
            // The golden file lists each tag's series; inspect prints in file order. Same multiset.
            assertThat(actual).as(Fixtures.relativeName(file)).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void tableOfALogdirNamesEveryRunAndTagWithCountsAndSteps() {
        Path logdir = Fixtures.dir().resolve("generated/tf_summary");
        Outcome outcome = run("inspect", logdir.toString());
        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        // restart/ holds two files of one run: steps 0..9, then 5..7 again (13 values in all).
        assertThat(outcome.stdout()).containsPattern("restart\\s+train/loss\\s+scalars\\s+scalar\\s+13\\s+0\\s+7");
        assertThat(outcome.stdout()).containsPattern("hparam_tuning/run-1\\s+_hparams_/session_start_info\\s+hparams\\s+tensor\\s+1");
        assertThat(outcome.stdout()).contains("custom_loop");
        assertThat(outcome.stdout()).containsPattern("\\d+ runs, \\d+ tags, \\d+ values in \\d+ records");
    }

    @Test
    void corruptRecordGivesLocatedErrorGoodValuesAndExitCodeOne() throws IOException {
        Path run = temp.resolve("logdir/run");
        Path file;
        long secondOffset;
        try (EventFileWriter writer = EventFileWriter.create(run)) {
            writer.write(scalar("loss", 1, 0.5f));
            secondOffset = writer.write(scalar("loss", 2, 0.25f));
            writer.write(scalar("loss", 3, 0.125f));
            file = writer.file();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) secondOffset + 14] ^= 0x40; // a payload byte of the second scalar record
        Files.write(file, bytes);

        Outcome outcome = run("inspect", "--format", "jsonl", temp.resolve("logdir").toString());

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.stderr()).contains(file.toString()).contains("offset " + secondOffset)
                .contains("payload CRC mismatch");
        assertThat(outcome.stdout().lines().map(line -> readTree(line).get("step").asLong()))
                .containsExactly(1L, 3L);
    }

    @Test
    void runsReadTogetherReportInRunOrderAndTheTableCountsWhatJsonlPrints() throws IOException {
        // More runs than cores, each with a corrupt record, plain scalars (the table's shortcut)
        // and a value that does not fit its scalar series (decoded fully).
        List<Path> files = new ArrayList<>();
        for (int r = 0; r < 7; r++) {
            long corrupt;
            Path file;
            try (EventFileWriter writer = EventFileWriter.create(temp.resolve("logdir/run-" + r))) {
                writer.write(scalar("loss", 0, 1f));
                corrupt = writer.write(scalar("loss", 1, 0.5f));
                for (int step = 2; step < 40 + r; step++) {
                    writer.write(Event.newBuilder().setStep(step).setWallTime(step).setSummary(Summary.newBuilder()
                            .addValue(Summary.Value.newBuilder().setTag("loss").setSimpleValue(step))).build());
                }
                writer.write(Event.newBuilder().setStep(99).setSummary(Summary.newBuilder().addValue(
                        Summary.Value.newBuilder().setTag("loss").setTensor(TensorProto.newBuilder()
                                .setDtype(DataType.DT_STRING).addStringVal(com.google.protobuf.ByteString.copyFromUtf8("x")))))
                        .build());
                file = writer.file();
            }
            files.add(file);
            byte[] bytes = Files.readAllBytes(file);
            bytes[(int) corrupt + 14] ^= 0x40;
            Files.write(file, bytes);
        }

        Outcome table = run("inspect", temp.resolve("logdir").toString());
        Outcome jsonl = run("inspect", "--format", "jsonl", temp.resolve("logdir").toString());

        assertThat(table.exitCode()).isEqualTo(1);
        assertThat(table.stderr()).isEqualTo(jsonl.stderr());
        List<String> errorFiles = table.stderr().lines().filter(line -> line.contains("payload CRC mismatch"))
                .map(line -> line.substring(line.indexOf(temp.toString()), line.indexOf(": corrupt"))).toList();
        assertThat(errorFiles).containsExactlyElementsOf(files.stream().map(Path::toString).toList());
        for (int r = 0; r < 7; r++) {
            String run = "run-" + r;
            long printed = jsonl.stdout().lines().filter(line -> readTree(line).get("run").asText().equals(run)).count();
            assertThat(printed).isEqualTo(40 + r);
            assertThat(table.stdout()).containsPattern(run + "\\s+loss\\s+scalars\\s+scalar\\s+" + printed + "\\s+0\\s+99\\n");
        }
    }

    @Test
    void missingPathIsAUsageError() {
        Outcome outcome = run("inspect", temp.resolve("nope").toString());
        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("no such file or directory");
    }

    private static JsonNode readTree(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private static String number(JsonNode node) {
        return node.isTextual() ? node.asText() : Double.toString(node.asDouble());
    }

    private static Event scalar(String tag, long step, float value) {
        TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorShape(TensorShapeProto.getDefaultInstance()).addFloatVal(value).build();
        SummaryMetadata metadata = SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("scalars"))
                .setDataClass(DataClass.DATA_CLASS_SCALAR).build();
        return Event.newBuilder().setWallTime(1_700_000_000.0 + step).setStep(step)
                .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag)
                        .setMetadata(metadata).setTensor(tensor)))
                .build();
    }
}
