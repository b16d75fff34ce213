package dev.athanor.query.scalars.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Arrays;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A column of numbers written as a JSON array in as few characters as the value allows: a double
 * that is exactly a float (every value TensorBoard's float32 summaries produce) as the float's
 * shortest form ("0.1", not "0.10000000149011612"), other doubles in full; NaN and ±Infinity as
 * the strings "NaN", "Infinity", "-Infinity"; null as null. Equal by content, so identical
 * columns can be sent once.
 */
@JsonSerialize(using = NumberColumn.Writer.class)
@Schema(type = SchemaType.ARRAY, description = "numbers; NaN and ±Infinity as the strings \"NaN\", \"Infinity\","
        + " \"-Infinity\"; null where a bucket has no finite value")
public final class NumberColumn {

    private final long[] longs;
    private final double[] doubles;
    private final Double[] nullable;

    private NumberColumn(long[] longs, double[] doubles, Double[] nullable) {
        this.longs = longs;
        this.doubles = doubles;
        this.nullable = nullable;
    }

    public static NumberColumn of(long[] values) {
        return new NumberColumn(values, null, null);
    }

    public static NumberColumn of(double[] values) {
        return new NumberColumn(null, values, null);
    }

    /** Values rounded to float precision (means, which only a drawn line uses), nulls kept. */
    public static NumberColumn ofRounded(Double[] values) {
        Double[] rounded = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = values[i] == null ? null : (double) (float) values[i].doubleValue();
        }
        return new NumberColumn(null, null, rounded);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumberColumn c && Arrays.equals(longs, c.longs) && Arrays.equals(doubles, c.doubles)
                && Arrays.equals(nullable, c.nullable);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(longs) + Arrays.hashCode(doubles)) + Arrays.hashCode(nullable);
    }

    static final class Writer extends StdSerializer<NumberColumn> {
        Writer() {
            super(NumberColumn.class);
        }

        @Override
        public void serialize(NumberColumn column, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartArray();
            if (column.longs != null) {
                for (long v : column.longs) {
                    out.writeNumber(v);
                }
            } else if (column.doubles != null) {
                for (double v : column.doubles) {
                    write(out, v);
                }
            } else {
                for (Double v : column.nullable) {
                    if (v == null) {
                        out.writeNull();
                    } else {
                        write(out, v);
                    }
                }
            }
            out.writeEndArray();
        }

        private static void write(JsonGenerator out, double v) throws IOException {
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                out.writeString(Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
            } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                out.writeNumber((long) v);
            } else if ((double) (float) v == v) {
                out.writeNumber((float) v);
            } else {
                out.writeNumber(v);
            }
        }
    }
}
