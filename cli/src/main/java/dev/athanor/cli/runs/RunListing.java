package dev.athanor.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.output.Cells;
import dev.athanor.cli.output.Csv;
import dev.athanor.cli.output.TextTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The runs of {@code athanor runs list} as a table or CSV rows. */
final class RunListing {

    static final List<String> CSV_ATTRIBUTES = List.of("id", "experiment_id", "experiment", "run", "status",
            "started_at", "last_event_at", "ended_at", "session_group", "session_status");

    /** A run's state as both the listing's columns and {@code runs show}'s rows give it: a label and its cell. */
    record Attribute(String label, Function<JsonNode, String> cell) {
    }

    /** In this order in both: the listing's headers are the labels in capitals. */
    static final List<Attribute> STATE = List.of(
            new Attribute("status", run -> run.path("status").asText()),
            new Attribute("started", run -> Cells.localTime(run.get("startedAt"))),
            new Attribute("last event", run -> Cells.localTime(run.get("lastEventAt"))));

    private RunListing() {
    }

    /**
     * One row per run: id, experiment (when several may show), path, status, times, then either
     * the projected column values or the hparams.
     */
    static TextTable table(List<JsonNode> runs, boolean showExperiment, boolean showValues) {
        List<String> valueKeys = showValues ? valueKeys(runs) : List.of();
        List<String> header = new ArrayList<>(List.of("ID"));
        if (showExperiment) {
            header.add("EXPERIMENT");
        }
        header.add("RUN");
        STATE.forEach(attribute -> header.add(attribute.label().toUpperCase(Locale.ROOT)));
        int firstValue = header.size();
        if (showValues) {
            header.addAll(valueKeys);
        } else {
            header.add("HPARAMS");
        }
        TextTable table = new TextTable(header.toArray(String[]::new)).numeric(0);
        for (int i = 0; i < valueKeys.size(); i++) {
            table.numeric(firstValue + i);
        }
        for (JsonNode run : runs) {
            List<String> row = new ArrayList<>(List.of(run.path("id").asText()));
            if (showExperiment) {
                row.add(run.path("experiment").asText());
            }
            row.add(run.path("path").asText());
            STATE.forEach(attribute -> row.add(attribute.cell().apply(run)));
            if (showValues) {
                for (String key : valueKeys) {
                    row.add(Cells.value(run.path("values").get(key)));
                }
            } else {
                row.add(Cells.keyValues(run.get("hparams")));
            }
            table.row(row.toArray(String[]::new));
        }
        return table;
    }

    /** A header, then one row per run: attributes, {@code hparams.<name>} for every hparam seen, column values. */
    static void csv(PrintWriter out, List<JsonNode> runs) {
        Set<String> hparams = new TreeSet<>();
        for (JsonNode run : runs) {
            run.path("hparams").fieldNames().forEachRemaining(hparams::add);
        }
        List<String> valueKeys = valueKeys(runs);
        List<String> header = new ArrayList<>(CSV_ATTRIBUTES);
        hparams.forEach(name -> header.add("hparams." + name));
        header.addAll(valueKeys);
        Csv.row(out, header);
        for (JsonNode run : runs) {
            List<String> row = new ArrayList<>();
            for (String field : List.of("id", "experimentId", "experiment", "path", "status", "startedAt",
                    "lastEventAt", "endedAt", "sessionGroup", "sessionStatus")) {
                row.add(Cells.value(run.get(field)));
            }
            for (String name : hparams) {
                row.add(Cells.value(run.path("hparams").get(name)));
            }
            for (String key : valueKeys) {
                row.add(Cells.value(run.path("values").get(key)));
            }
            Csv.row(out, row);
        }
    }

    /** The projected columns, in the order the server wrote them. */
    private static List<String> valueKeys(List<JsonNode> runs) {
        Set<String> keys = new LinkedHashSet<>();
        for (JsonNode run : runs) {
            run.path("values").fieldNames().forEachRemaining(keys::add);
        }
        return List.copyOf(keys);
    }
}
