package dev.athanor.query.export.service;

import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.query.common.text.Csv;
import dev.athanor.query.export.store.ExportSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * CSV with the header {@code run,tag,step,wall_time,plugin,value}. Scalars put their number in
 * value (NaN, Infinity, -Infinity as words); tensors and blob sequences a small JSON description
 * (dtype/shape/bytes, blob_bytes), as in the JSON Lines export.
 */
public final class CsvExportWriter implements ExportSink, AutoCloseable {

    private final Writer out;

    public CsvExportWriter(OutputStream output) throws IOException {
        this.out = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 1 << 16);
        Csv.row(out, List.of("run", "tag", "step", "wall_time", "plugin", "value"));
    }

    @Override
    public void scalar(String run, String tag, String plugin, long step, double wallTime, double value) throws IOException {
        row(run, tag, plugin, step, wallTime, Csv.number(value));
    }

    @Override
    public void tensor(String run, String tag, String plugin, long step, double wallTime, int dtype, long[] shape, int bytes)
            throws IOException {
        DataType type = DataType.forNumber(dtype);
        row(run, tag, plugin, step, wallTime, "{\"dtype\":\"" + (type == null ? "DT_" + dtype : type.name())
                + "\",\"shape\":" + Arrays.toString(shape).replace(" ", "") + ",\"bytes\":" + bytes + "}");
    }

    @Override
    public void blobs(String run, String tag, String plugin, long step, double wallTime, int[] blobLengths) throws IOException {
        row(run, tag, plugin, step, wallTime, "{\"blob_bytes\":["
                + Arrays.stream(blobLengths).mapToObj(Integer::toString).collect(Collectors.joining(",")) + "]}");
    }

    /** {@code run,,,,run_metadata,{"display_name":…,"labels":[…],"note":…,"color":…,"pinned":…}}. */
    @Override
    public void runMetadata(String run, String displayName, List<String> labels, String note, String color,
                            boolean pinned) throws IOException {
        java.io.StringWriter value = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator json = new com.fasterxml.jackson.core.JsonFactory()
                .createGenerator(value)) {
            json.writeStartObject();
            RunMetadataJson.fields(json, displayName, labels, note, color, pinned);
            json.writeEndObject();
        }
        Csv.row(out, List.of(run, "", "", "", "run_metadata", value.toString()));
    }

    private void row(String run, String tag, String plugin, long step, double wallTime, String value) throws IOException {
        Csv.row(out, List.of(run, tag, Long.toString(step), Csv.number(wallTime), plugin, value));
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
