package dev.athanor.ingest.index;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.index.write.PgText;
import dev.athanor.tfevents.decode.HParamDefinition;
import dev.athanor.tfevents.decode.HParamValue;
import dev.athanor.tfevents.decode.HParamsExperiment;
import dev.athanor.tfevents.decode.MetricDefinition;
import java.util.Map;

/**
 * The JSON stored in run.hparams (typed values: numbers stay numbers, booleans booleans, an
 * explicit null stays null) and run.hparams_config (the hparams experiment definition). The
 * shapes are documented in the module README for the readers of the index.
 */
final class HParamsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        // jsonb refuses the \u0000 escape: every NUL in a name or value is written as U+FFFD.
        MAPPER.getFactory().setCharacterEscapes(new NulAsReplacement());
    }

    private static final class NulAsReplacement extends CharacterEscapes {
        private final int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();

        NulAsReplacement() {
            escapes[0] = CharacterEscapes.ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return new SerializedString(String.valueOf(PgText.REPLACEMENT));
        }
    }
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private HParamsJson() {
    }

    static String values(Map<String, HParamValue> hparams) {
        ObjectNode out = F.objectNode();
        hparams.forEach((name, value) -> out.set(name, node(value)));
        return write(out);
    }

    static String experiment(HParamsExperiment e) {
        ObjectNode out = F.objectNode();
        out.put("name", e.name());
        out.put("description", e.description());
        out.put("user", e.user());
        out.put("time_created_secs", e.timeCreatedSecs());
        ArrayNode hparams = out.putArray("hparams");
        for (HParamDefinition h : e.hparams()) {
            ObjectNode n = hparams.addObject();
            n.put("name", h.name());
            n.put("display_name", h.displayName());
            n.put("description", h.description());
            n.put("type", h.type().name());
            switch (h.domain()) {
                case HParamDefinition.Discrete d -> {
                    ArrayNode values = n.putObject("domain").putArray("discrete");
                    d.values().forEach(v -> values.add(node(v)));
                }
                case HParamDefinition.Interval i -> {
                    ObjectNode interval = n.putObject("domain").putObject("interval");
                    interval.set("min", number(i.min()));
                    interval.set("max", number(i.max()));
                }
                case HParamDefinition.Unbounded u -> n.putNull("domain");
            }
            n.put("differs", h.differs());
        }
        ArrayNode metrics = out.putArray("metrics");
        for (MetricDefinition m : e.metrics()) {
            ObjectNode n = metrics.addObject();
            n.put("group", m.group());
            n.put("tag", m.tag());
            n.put("display_name", m.displayName());
            n.put("description", m.description());
            n.put("dataset_type", m.datasetType().name());
        }
        return write(out);
    }

    private static JsonNode node(HParamValue value) {
        return switch (value) {
            case HParamValue.NumberValue n -> number(n.value());
            case HParamValue.StringValue s -> F.textNode(s.value());
            case HParamValue.BoolValue b -> F.booleanNode(b.value());
            case HParamValue.NullValue n -> F.nullNode();
            case HParamValue.ListOf l -> {
                ArrayNode a = F.arrayNode();
                l.values().forEach(v -> a.add(node(v)));
                yield a;
            }
            case HParamValue.StructOf s -> {
                ObjectNode o = F.objectNode();
                s.fields().forEach((k, v) -> o.set(k, node(v)));
                yield o;
            }
        };
    }

    /** JSON has no NaN or infinities: those are written as the strings "NaN", "Infinity", "-Infinity". */
    private static JsonNode number(double v) {
        if (Double.isNaN(v)) {
            return F.textNode("NaN");
        }
        if (Double.isInfinite(v)) {
            return F.textNode(v > 0 ? "Infinity" : "-Infinity");
        }
        return F.numberNode(v);
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
