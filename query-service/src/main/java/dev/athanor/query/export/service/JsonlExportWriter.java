package dev.athanor.query.export.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.query.export.store.ExportSink;
import dev.athanor.tfevents.decode.JsonlNumbers;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * JSON Lines shaped like {@code athanor inspect --format jsonl}: one object per value with run,
 * tag, step, wall_time, plugin; scalars carry value (NaN and infinities as strings), tensors
 * dtype/shape/bytes, blob sequences blob_bytes. An export of an uploaded logdir therefore
 * compares line by line (as sets) with an inspect of its files.
 */
public final class JsonlExportWriter implements ExportSink, AutoCloseable {

    private final JsonGenerator json;

    public JsonlExportWriter(OutputStream out) throws IOException {
        this.json = new JsonFactory().createGenerator(out);
        json.setRootValueSeparator(null);
    }

    @Override
    public void scalar(String run, String tag, String plugin, long step, double wallTime, double value) throws IOException {
        start(run, tag, plugin, step, wallTime);
        json.writeFieldName("value");
        number(value);
        end();
    }

    @Override
    public void tensor(String run, String tag, String plugin, long step, double wallTime, int dtype, long[] shape, int bytes)
            throws IOException {
        start(run, tag, plugin, step, wallTime);
        DataType type = DataType.forNumber(dtype);
        json.writeStringField("dtype", type == null ? "DT_" + dtype : type.name());
        json.writeFieldName("shape");
        json.writeArray(shape, 0, shape.length);
        json.writeNumberField("bytes", bytes);
        end();
    }

    @Override
    public void blobs(String run, String tag, String plugin, long step, double wallTime, int[] blobLengths) throws IOException {
        start(run, tag, plugin, step, wallTime);
        json.writeFieldName("blob_bytes");
        json.writeArray(blobLengths, 0, blobLengths.length);
        end();
    }

    /** {@code {"run", "plugin": "run_metadata", "display_name", "labels", "note", "color", "pinned"}}. */
    @Override
    public void runMetadata(String run, String displayName, List<String> labels, String note, String color,
                            boolean pinned) throws IOException {
        json.writeStartObject();
        json.writeStringField("run", run);
        json.writeStringField("plugin", "run_metadata");
        RunMetadataJson.fields(json, displayName, labels, note, color, pinned);
        end();
    }

    private void start(String run, String tag, String plugin, long step, double wallTime) throws IOException {
        json.writeStartObject();
        json.writeStringField("run", run);
        json.writeStringField("tag", tag);
        json.writeNumberField("step", step);
        json.writeFieldName("wall_time");
        number(wallTime);
        json.writeStringField("plugin", plugin);
    }

    private void end() throws IOException {
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private void number(double value) throws IOException {
        json.writeRawValue(JsonlNumbers.token(value));
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
