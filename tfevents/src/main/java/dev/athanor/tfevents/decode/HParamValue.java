package dev.athanor.tfevents.decode;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A hyperparameter value as the hparams plugin stores it ({@code google.protobuf.Value}). Writers
 * use numbers, strings and booleans; PyTorch writes booleans and integers as numbers.
 */
public sealed interface HParamValue {

    record NumberValue(double value) implements HParamValue {
    }

    record StringValue(String value) implements HParamValue {
    }

    record BoolValue(boolean value) implements HParamValue {
    }

    /** An explicit null, or a Value with no kind set. */
    record NullValue() implements HParamValue {
    }

    record ListOf(List<HParamValue> values) implements HParamValue {
    }

    /** A nested struct, keys sorted. */
    record StructOf(Map<String, HParamValue> fields) implements HParamValue {
    }

    static HParamValue of(Value value) {
        return switch (value.getKindCase()) {
            case NUMBER_VALUE -> new NumberValue(value.getNumberValue());
            case STRING_VALUE -> new StringValue(value.getStringValue());
            case BOOL_VALUE -> new BoolValue(value.getBoolValue());
            case NULL_VALUE, KIND_NOT_SET -> new NullValue();
            case LIST_VALUE -> new ListOf(listOf(value.getListValue()));
            case STRUCT_VALUE -> new StructOf(structOf(value.getStructValue()));
        };
    }

    static List<HParamValue> listOf(ListValue list) {
        List<HParamValue> values = new ArrayList<>(list.getValuesCount());
        for (Value element : list.getValuesList()) {
            values.add(of(element));
        }
        return List.copyOf(values);
    }

    private static Map<String, HParamValue> structOf(Struct struct) {
        Map<String, HParamValue> fields = new LinkedHashMap<>();
        new TreeMap<>(struct.getFieldsMap()).forEach((name, field) -> fields.put(name, of(field)));
        return java.util.Collections.unmodifiableMap(fields);
    }
}
