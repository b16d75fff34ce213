package dev.athanor.query.tensors.service;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.query.common.error.CorruptRawDataException;
import dev.athanor.query.tensors.store.StoredTensor;
import dev.athanor.tfevents.compat.TensorValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns stored TensorProtos into what each plugin shows. */
public final class TensorDecoding {

    private TensorDecoding() {
    }

    public static TensorProto parse(StoredTensor stored, String where) {
        try {
            return TensorProto.parseFrom(stored.tensor());
        } catch (InvalidProtocolBufferException e) {
            throw new CorruptRawDataException(where + ": the tensor stored at step " + stored.step()
                    + " is not a TensorProto: " + e.getMessage(), e);
        }
    }

    /** A histogram tensor {@code [k, 3]} as rows of (left edge, right edge, count). */
    public static double[][] histogram(TensorProto tensor, String where, long step) {
        long[] shape = TensorValues.shape(tensor);
        double[] values = TensorValues.doubles(tensor);
        if (values == null || shape.length != 2 || shape[1] != 3) {
            throw new CorruptRawDataException(where + ": step " + step + " is not a [k, 3] histogram tensor (dtype "
                    + tensor.getDtype() + ", shape " + java.util.Arrays.toString(shape) + ")");
        }
        int k = (int) shape[0];
        double[][] buckets = new double[k][];
        for (int i = 0; i < k; i++) {
            buckets[i] = new double[] {values[3 * i], values[3 * i + 1], values[3 * i + 2]};
        }
        return buckets;
    }

    /** A string tensor's elements as UTF-8 text, row-major. */
    public static List<String> strings(TensorProto tensor) {
        List<String> out = new ArrayList<>(tensor.getStringValCount());
        for (ByteString s : tensor.getStringValList()) {
            out.add(s.toString(StandardCharsets.UTF_8));
        }
        long count = TensorValues.elementCount(tensor);
        // As in TensorFlow, a shorter string_val is padded with its last element.
        while (count > out.size() && !out.isEmpty() && out.size() < 1_000_000) {
            out.add(out.get(out.size() - 1));
        }
        return out;
    }

    /** Elements as numbers (doubles) or strings; null for dtypes that are neither. */
    public static Object values(TensorProto tensor) {
        if (tensor.getDtype() == DataType.DT_STRING) {
            return strings(tensor);
        }
        return TensorValues.doubles(tensor);
    }

    public static String dtypeName(TensorProto tensor) {
        return tensor.getDtype().name();
    }
}
