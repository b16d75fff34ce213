package dev.athanor.query.export.service;

import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.selection.RunSelection;
import dev.athanor.query.experiments.service.ExperimentService;
import dev.athanor.query.export.api.ExportRequest;
import dev.athanor.query.export.store.ExportSelection;
import dev.athanor.query.export.store.ExportSink;
import dev.athanor.query.export.store.ExportSnapshot;
import dev.athanor.query.export.store.ExportStore;
import dev.athanor.query.runs.service.RunService;
import dev.athanor.query.scalars.service.ScalarService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Validates an export, opens its snapshot, and streams it in the chosen format. */
@ApplicationScoped
public class ExportService {

    /** A validated export ready to stream. */
    public record PreparedExport(String mediaType, String fileName, Instant snapshotTime, int runs, StreamingOutput body) {
    }

    private final ExportStore store;
    private final ExperimentService experiments;
    private final RunService runs;

    public ExportService(ExportStore store, ExperimentService experiments, RunService runs) {
        this.store = store;
        this.experiments = experiments;
        this.runs = runs;
    }

    public PreparedExport prepare(ExportRequest request) {
        if (request.experiment() == null) {
            throw new BadInputException("experiment", "experiment is required: an export covers one experiment");
        }
        String format = request.format() == null || request.format().isBlank() ? "jsonl"
                : request.format().trim().toLowerCase(Locale.ROOT);
        if (!format.equals("jsonl") && !format.equals("ndjson") && !format.equals("csv")) {
            throw new BadInputException("format", "format must be jsonl or csv; got '" + request.format() + "'");
        }
        experiments.requireExists(request.experiment());
        List<Long> runIds = request.runs() == null || request.runs().isEmpty() ? null : request.runs();
        if (runIds != null) {
            // Unknown ids are a 404 naming them, before anything is streamed.
            runs.select(new RunSelection(request.experiment(), runIds, null), "selection", Integer.MAX_VALUE - 1);
        }
        ExportSelection selection = new ExportSelection(request.experiment(), runIds, RunService.parseFilter(request.filter()),
                request.tags() == null ? List.of() : request.tags(), request.plugins() == null ? List.of() : request.plugins(),
                ScalarService.range(request.stepMin(), request.stepMax()));
        ExportSnapshot snapshot = store.open(selection);
        boolean csv = format.equals("csv");
        StreamingOutput body = output -> {
            try (ExportSnapshot s = snapshot) {
                if (csv) {
                    try (CsvExportWriter writer = new CsvExportWriter(output)) {
                        s.write(writer);
                    }
                } else {
                    try (JsonlExportWriter writer = new JsonlExportWriter(output)) {
                        s.write(writer);
                    }
                }
            }
        };
        return new PreparedExport(csv ? "text/csv; charset=utf-8" : "application/x-ndjson",
                "experiment-" + request.experiment() + (csv ? ".csv" : ".jsonl"), snapshot.snapshotTime(),
                snapshot.runs().size(), body);
    }

    /** Streams an export into a sink without HTTP (used by tests and tools). */
    public void stream(ExportSelection selection, ExportSink sink) throws java.io.IOException {
        try (ExportSnapshot snapshot = store.open(selection)) {
            snapshot.write(sink);
        }
    }
}
