package dev.athanor.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code athanor inspect --format jsonl} prints for a logdir, reduced to what the index keeps
 * as series: hparams records (session start/end, experiment config) become run attributes, not
 * values; and a step that goes back in a (run, tag) replaces the values at steps >= it, as
 * TensorBoard does for a restarted job.
 */
public final class ExportableRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportableRecords() {
    }

    public static List<JsonNode> inspect(Path logdir) {
        Cli.Outcome outcome = Cli.run("inspect", "--format", "jsonl", logdir.toString());
        assertThat(outcome.exitCode()).as("inspect %s: %s", logdir, outcome.stderr()).isZero();
        List<JsonNode> records = new ArrayList<>();
        for (String line : outcome.stdout().split("\n")) {
            if (!line.isBlank()) {
                records.add(parse(line));
            }
        }
        return records;
    }

    public static List<JsonNode> of(Path logdir) {
        Map<String, List<JsonNode>> series = new HashMap<>();
        List<JsonNode> order = new ArrayList<>();
        for (JsonNode record : inspect(logdir)) {
            if (isHparams(record)) {
                continue;
            }
            long step = record.get("step").asLong();
            List<JsonNode> kept = series.computeIfAbsent(record.get("run").asText() + "\u0000" + record.get("tag").asText(),
                    key -> new ArrayList<>());
            List<JsonNode> replaced = kept.stream().filter(r -> r.get("step").asLong() >= step).toList();
            kept.removeAll(replaced);
            order.removeAll(replaced);
            kept.add(record);
            order.add(record);
        }
        return order;
    }

    public static boolean isHparams(JsonNode record) {
        return record.has("hparams") || record.has("status") || record.has("hparam_names");
    }

    public static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }
}
