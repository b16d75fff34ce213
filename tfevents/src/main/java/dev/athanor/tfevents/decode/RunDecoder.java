package dev.athanor.tfevents.decode;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.tfevents.compat.DataClassConversions;
import dev.athanor.tfevents.compat.LegacySummaries;
import dev.athanor.tfevents.compat.PluginNames;
import dev.athanor.tfevents.compat.TagMetadataTracker;
import dev.athanor.tfevents.compat.TensorValues;
import dev.athanor.tfevents.compat.TimeSeries;
import dev.athanor.tfevents.event.EventRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Turns the Events of one run, in order, into {@link DecodedValue}s, the way TensorBoard loads a
 * run: legacy summaries are migrated, each tag's series is fixed by its first value (writers send
 * metadata only once), graphs and run metadata become blob series.
 *
 * <ul>
 *   <li>Every Summary.Value gives exactly one decoded value, in order; a value that does not fit
 *       its series is kept in its own form and reported ({@link DecodeProblem}).</li>
 *   <li>{@code graph_def}, {@code meta_graph_def} and {@code tagged_run_metadata} events give one
 *       blob value each; {@code file_version}, {@code session_log}, {@code log_message} and empty
 *       events give none (they are counted).</li>
 *   <li>Steps are passed through as written: a rewind (a restarted job) is the indexer's to
 *       resolve, nothing is dropped here.</li>
 * </ul>
 * Stateful and not thread-safe: one decoder per run, fed the run's files in order.
 */
public final class RunDecoder {

    private final String run;
    private final Consumer<? super DecodeProblem> problems;
    private final TagMetadataTracker tags = new TagMetadataTracker();

    private long offset = -1;
    private long events;
    private long values;
    private long eventsWithoutValues;
    private long problemCount;
    private String fileVersion;

    public RunDecoder(String run, Consumer<? super DecodeProblem> problems) {
        this.run = Objects.requireNonNull(run, "run");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    /** A decoder whose problems are only counted ({@link #problemCount()}). */
    public RunDecoder(String run) {
        this(run, problem -> {
        });
    }

    /** The decoded values of one event. */
    public List<DecodedValue> decode(Event event) {
        List<DecodedValue> out = new ArrayList<>(event.hasSummary() ? event.getSummary().getValueCount() : 1);
        decode(event, out::add);
        return out;
    }

    /** Like {@link #decode(Event)}, with the record's offset in problem reports. */
    public List<DecodedValue> decode(EventRecord record) {
        offset = record.offset();
        try {
            return decode(record.event());
        } finally {
            offset = -1;
        }
    }

    /** Hands the decoded values of one event to {@code sink}, in order, without collecting them. */
    public void decode(Event event, Consumer<? super DecodedValue> sink) {
        events++;
        long step = event.getStep();
        double wallTime = event.getWallTime();
        switch (event.getWhatCase()) {
            case SUMMARY -> {
                Summary summary = event.getSummary();
                int count = summary.getValueCount();
                for (int i = 0; i < count; i++) {
                    sink.accept(value(summary.getValue(i), step, wallTime));
                }
                values += count;
                if (count == 0) {
                    eventsWithoutValues++;
                }
            }
            case GRAPH_DEF -> emitBlob(sink, tags.runGraph(), step, wallTime, event.getGraphDef());
            case META_GRAPH_DEF -> emitBlob(sink, tags.runMetaGraph(), step, wallTime, event.getMetaGraphDef());
            case TAGGED_RUN_METADATA -> emitBlob(sink, tags.taggedRunMetadata(event.getTaggedRunMetadata().getTag()),
                    step, wallTime, event.getTaggedRunMetadata().getRunMetadata());
            case FILE_VERSION -> {
                fileVersion = event.getFileVersion();
                eventsWithoutValues++;
            }
            case SESSION_LOG, LOG_MESSAGE, WHAT_NOT_SET -> eventsWithoutValues++;
        }
    }

    /** The series seen so far; {@link TagMetadataTracker#restore} seeds it when resuming mid-run. */
    public TagMetadataTracker tags() {
        return tags;
    }

    public String run() {
        return run;
    }

    /** Events passed to {@code decode}. */
    public long events() {
        return events;
    }

    /** Summary values decoded (graph and run-metadata blobs not included). */
    public long values() {
        return values;
    }

    /** Events that gave no value: file_version, session_log, log_message, empty events and empty summaries. */
    public long eventsWithoutValues() {
        return eventsWithoutValues;
    }

    public long problemCount() {
        return problemCount;
    }

    /** The last {@code file_version} seen (for example "brain.Event:2"), or null. */
    public String fileVersion() {
        return fileVersion;
    }

    private void emitBlob(Consumer<? super DecodedValue> sink, TimeSeries series, long step, double wallTime,
                          ByteString blob) {
        values++;
        sink.accept(new BlobSequencePoint(series, step, wallTime, List.of(blob)));
    }

    private DecodedValue value(Summary.Value value, long step, double wallTime) {
        String tag = value.getTag();
        if (tag.isEmpty()) {
            tag = value.getNodeName(); // old tensorboardX wrote only node_name
        }
        TimeSeries series = tags.seriesFor(tag, value);
        switch (series.dataClass()) {
            case DATA_CLASS_SCALAR -> {
                Double scalar = DataClassConversions.scalar(value);
                if (scalar != null) {
                    return new ScalarPoint(series, step, wallTime, scalar);
                }
            }
            case DATA_CLASS_BLOB_SEQUENCE -> {
                List<ByteString> blobs = DataClassConversions.blobSequence(value, series.pluginName());
                if (blobs != null) {
                    return new BlobSequencePoint(series, step, wallTime, blobs);
                }
            }
            case DATA_CLASS_TENSOR -> {
                if (PluginNames.HPARAMS.equals(series.pluginName())) {
                    return hparams(series, value, step, wallTime);
                }
                if (value.getValueCase() != Summary.Value.ValueCase.IMAGE
                        && value.getValueCase() != Summary.Value.ValueCase.AUDIO) {
                    return tensor(series, value, step, wallTime);
                }
            }
            default -> {
                // UNKNOWN plugins: kept as tensors, whatever the value holds.
                return tensor(series, value, step, wallTime);
            }
        }
        return misfit(series, value, step, wallTime);
    }

    private TensorPoint tensor(TimeSeries series, Summary.Value value, long step, double wallTime) {
        switch (value.getValueCase()) {
            case HISTO -> {
                if (LegacySummaries.hasMissingLimits(value.getHisto())) {
                    report(series.tag(), step, DecodeProblem.Kind.MALFORMED_HISTOGRAM,
                            "histogram has %d buckets but only %d bucket limits; missing edges set to its max %s"
                                    .formatted(value.getHisto().getBucketCount(),
                                            value.getHisto().getBucketLimitCount(), value.getHisto().getMax()));
                }
            }
            case OBSOLETE_OLD_STYLE_HISTOGRAM -> report(series.tag(), step, DecodeProblem.Kind.OBSOLETE_HISTOGRAM,
                    "obsolete_old_style_histogram (%d bytes) kept as a string tensor"
                            .formatted(value.getObsoleteOldStyleHistogram().size()));
            default -> {
            }
        }
        return new TensorPoint(series, step, wallTime, DataClassConversions.tensor(value));
    }

    /** A value its series cannot hold: kept as what it is, under the series seen as that data class. */
    private DecodedValue misfit(TimeSeries series, Summary.Value value, long step, double wallTime) {
        DecodedValue kept = switch (value.getValueCase()) {
            case SIMPLE_VALUE -> new ScalarPoint(series.as(DataClass.DATA_CLASS_SCALAR), step, wallTime,
                    value.getSimpleValue());
            case IMAGE, AUDIO -> new BlobSequencePoint(series.as(DataClass.DATA_CLASS_BLOB_SEQUENCE), step, wallTime,
                    DataClassConversions.blobSequence(value, LegacySummaries.pluginFor(value.getValueCase())));
            default -> tensor(series.as(DataClass.DATA_CLASS_TENSOR), value, step, wallTime);
        };
        report(series.tag(), step, DecodeProblem.Kind.VALUE_DOES_NOT_FIT_SERIES,
                "%s value does not fit the %s series of plugin '%s'; kept as %s"
                        .formatted(describe(value), series.dataClass(), series.pluginName(), kept.dataClass()));
        return kept;
    }

    private DecodedValue hparams(TimeSeries series, Summary.Value value, long step, double wallTime) {
        // The data is in the plugin content of each record's own metadata.
        SummaryMetadata metadata = value.hasMetadata()
                && PluginNames.HPARAMS.equals(value.getMetadata().getPluginData().getPluginName())
                ? value.getMetadata() : series.metadata();
        String why;
        try {
            DecodedValue decoded = HParamsDecoder.decode(series, step, wallTime, metadata);
            if (decoded != null) {
                return decoded;
            }
            why = "its plugin content holds no experiment, session start or session end";
        } catch (InvalidProtocolBufferException e) {
            why = "its plugin content is not an HParamsPluginData: " + e.getMessage();
        }
        report(series.tag(), step, DecodeProblem.Kind.BAD_HPARAMS_CONTENT,
                "hparams record kept as a tensor: " + why);
        return tensor(series, value, step, wallTime);
    }

    private static String describe(Summary.Value value) {
        if (value.getValueCase() == Summary.Value.ValueCase.TENSOR) {
            return "a " + value.getTensor().getDtype() + " tensor of shape "
                    + Arrays.toString(TensorValues.shape(value.getTensor()));
        }
        return "a " + value.getValueCase().name().toLowerCase(Locale.ROOT);
    }

    private void report(String tag, long step, DecodeProblem.Kind kind, String what) {
        problemCount++;
        String where = offset >= 0 ? " (record at offset " + offset + ")" : "";
        problems.accept(new DecodeProblem(run, tag, step, offset, kind,
                "run '%s', tag '%s', step %d%s: %s".formatted(run, tag, step, where, what)));
    }
}
