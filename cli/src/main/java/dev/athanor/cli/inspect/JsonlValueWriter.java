package dev.athanor.cli.inspect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.athanor.tfevents.decode.BlobSequencePoint;
import dev.athanor.tfevents.decode.DecodedValue;
import dev.athanor.tfevents.decode.HParamValue;
import dev.athanor.tfevents.decode.HParamsExperiment;
import dev.athanor.tfevents.decode.HParamsSessionEnd;
import dev.athanor.tfevents.decode.HParamsSessionStart;
import dev.athanor.tfevents.decode.JsonlNumbers;
import dev.athanor.tfevents.decode.ScalarPoint;
import dev.athanor.tfevents.decode.TensorPoint;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * {@code --format jsonl}: one JSON object per decoded value, in file order. Scalars carry
 * {@code value}; other values a short description. The shape is shared with {@code athanor export}
 * so that an export of an uploaded logdir compares line by line with an inspect of its files.
 */
final class JsonlValueWriter implements Closeable {

    private final JsonGenerator json;

    JsonlValueWriter(OutputStream out) throws IOException {
        this.json = new JsonFactory().createGenerator(out);
        json.setRootValueSeparator(null);
    }

    void write(String run, DecodedValue value) throws IOException {
        json.writeStartObject();
        json.writeStringField("run", run);
        json.writeStringField("tag", value.tag());
        json.writeNumberField("step", value.step());
        json.writeFieldName("wall_time");
        json.writeRawValue(JsonlNumbers.token(value.wallTime()));
        json.writeStringField("plugin", value.pluginName());
        switch (value) {
            case ScalarPoint scalar -> {
                json.writeFieldName("value");
                json.writeRawValue(JsonlNumbers.token(scalar.value()));
            }
            case TensorPoint tensor -> {
                json.writeStringField("dtype", tensor.dtype().name());
                writeShape(tensor.shape());
                json.writeNumberField("bytes", tensor.tensor().getSerializedSize());
            }
            case BlobSequencePoint blobs -> {
                json.writeFieldName("blob_bytes");
                json.writeStartArray();
                for (ByteString blob : blobs.blobs()) {
                    json.writeNumber(blob.size());
                }
                json.writeEndArray();
            }
            case HParamsSessionStart start -> {
                json.writeFieldName("hparams");
                writeHParams(start.hparams());
            }
            case HParamsSessionEnd end -> json.writeStringField("status", end.status().name());
            case HParamsExperiment experiment -> {
                json.writeFieldName("hparam_names");
                json.writeStartArray();
                for (var definition : experiment.hparams()) {
                    json.writeString(definition.name());
                }
                json.writeEndArray();
            }
        }
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private void writeShape(long[] shape) throws IOException {
        json.writeFieldName("shape");
        json.writeStartArray();
        for (long dim : shape) {
            json.writeNumber(dim);
        }
        json.writeEndArray();
    }

    private void writeHParams(Map<String, HParamValue> hparams) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, HParamValue> entry : hparams.entrySet()) {
            json.writeFieldName(entry.getKey());
            writeHParam(entry.getValue());
        }
        json.writeEndObject();
    }

    private void writeHParam(HParamValue value) throws IOException {
        switch (value) {
            case HParamValue.NumberValue number -> json.writeRawValue(JsonlNumbers.token(number.value()));
            case HParamValue.StringValue string -> json.writeString(string.value());
            case HParamValue.BoolValue bool -> json.writeBoolean(bool.value());
            case HParamValue.NullValue ignored -> json.writeNull();
            case HParamValue.ListOf list -> {
                json.writeStartArray();
                for (HParamValue element : list.values()) {
                    writeHParam(element);
                }
                json.writeEndArray();
            }
            case HParamValue.StructOf struct -> writeHParams(struct.fields());
        }
    }

    void flush() throws IOException {
        json.flush();
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
