package dev.athanor.tfevents.compat;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.TensorShapeProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the numbers of a TensorProto. Writers fill either {@code tensor_content} (packed
 * little-endian) or the typed repeated field of the dtype; both are accepted. As in TensorFlow, a
 * typed field shorter than the shape is padded with its last element.
 */
public final class TensorValues {

    private TensorValues() {
    }

    /** The dimension sizes; an absent shape is rank 0. */
    public static long[] shape(TensorProto tensor) {
        TensorShapeProto shape = tensor.getTensorShape();
        long[] dims = new long[shape.getDimCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.getDim(i).getSize();
        }
        return dims;
    }

    /** Product of the dimension sizes (1 for rank 0); -1 when a size is unknown (negative). */
    public static long elementCount(TensorProto tensor) {
        TensorShapeProto shape = tensor.getTensorShape();
        long count = 1;
        for (int i = 0; i < shape.getDimCount(); i++) {
            long size = shape.getDim(i).getSize();
            if (size < 0) {
                return -1;
            }
            count = Math.multiplyExact(count, size);
        }
        return count;
    }

    /** True for dtypes whose elements read as one real number each. */
    public static boolean isRealNumeric(DataType dtype) {
        return switch (dtype) {
            case DT_FLOAT, DT_DOUBLE, DT_HALF, DT_BFLOAT16, DT_INT8, DT_INT16, DT_INT32, DT_INT64, DT_UINT8,
                 DT_UINT16, DT_UINT32, DT_UINT64, DT_BOOL -> true;
            default -> false;
        };
    }

    /**
     * The single number of a one-element real tensor (any rank, for example {@code []} or
     * {@code [1]}), or {@code null} when the tensor is not exactly that (wrong dtype, more or
     * fewer elements, stored values that do not match the shape).
     */
    public static Double singleNumber(TensorProto tensor) {
        DataType dtype = tensor.getDtype();
        if (dtype == DataType.DT_FLOAT && tensor.getTensorShape().getDimCount() == 0) {
            // By far the most common case (tf.summary.scalar, torch's new-style scalars): no shape
            // walk, no buffers.
            if (tensor.getFloatValCount() == 1 && tensor.getTensorContent().isEmpty()) {
                return (double) tensor.getFloatVal(0);
            }
            ByteString content = tensor.getTensorContent();
            if (content.size() == Float.BYTES) {
                return (double) Float.intBitsToFloat((content.byteAt(0) & 0xff) | (content.byteAt(1) & 0xff) << 8
                        | (content.byteAt(2) & 0xff) << 16 | (content.byteAt(3) & 0xff) << 24);
            }
        }
        if (!isRealNumeric(dtype) || elementCount(tensor) != 1) {
            return null;
        }
        double[] values = readNumbers(tensor, 1);
        return values == null ? null : values[0];
    }

    /**
     * All elements as doubles, in row-major order. Returns null when the dtype is not a real
     * number type, the shape is unknown, or the stored values do not match the shape.
     */
    public static double[] doubles(TensorProto tensor) {
        if (!isRealNumeric(tensor.getDtype())) {
            return null;
        }
        long count = elementCount(tensor);
        if (count < 0 || count > Integer.MAX_VALUE - 8) {
            return null;
        }
        return readNumbers(tensor, (int) count);
    }

    private static double[] readNumbers(TensorProto tensor, int count) {
        DataType dtype = tensor.getDtype();
        ByteString content = tensor.getTensorContent();
        if (!content.isEmpty()) {
            int width = byteWidth(dtype);
            if ((long) count * width != content.size()) {
                return null;
            }
            // slice(): a ByteString aliasing part of a larger array (parsing with aliasing) gives a
            // buffer positioned at its offset; absolute reads must start at the content.
            ByteBuffer bytes = content.asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
            double[] out = new double[count];
            for (int i = 0; i < count; i++) {
                out[i] = readPacked(dtype, bytes, i * width);
            }
            return out;
        }
        int stored = typedCount(tensor);
        if (stored == 0) {
            return count == 0 ? new double[0] : null;
        }
        if (stored > count) {
            return null;
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = readTyped(tensor, Math.min(i, stored - 1));
        }
        return out;
    }

    private static int byteWidth(DataType dtype) {
        return switch (dtype) {
            case DT_DOUBLE, DT_INT64, DT_UINT64 -> 8;
            case DT_FLOAT, DT_INT32, DT_UINT32 -> 4;
            case DT_HALF, DT_BFLOAT16, DT_INT16, DT_UINT16 -> 2;
            default -> 1;
        };
    }

    private static double readPacked(DataType dtype, ByteBuffer bytes, int at) {
        return switch (dtype) {
            case DT_FLOAT -> bytes.getFloat(at);
            case DT_DOUBLE -> bytes.getDouble(at);
            case DT_HALF -> Float.float16ToFloat(bytes.getShort(at));
            case DT_BFLOAT16 -> Float.intBitsToFloat((bytes.getShort(at) & 0xffff) << 16);
            case DT_INT8 -> bytes.get(at);
            case DT_UINT8 -> bytes.get(at) & 0xff;
            case DT_INT16 -> bytes.getShort(at);
            case DT_UINT16 -> bytes.getShort(at) & 0xffff;
            case DT_INT32 -> bytes.getInt(at);
            case DT_UINT32 -> bytes.getInt(at) & 0xffffffffL;
            case DT_INT64 -> bytes.getLong(at);
            case DT_UINT64 -> unsignedToDouble(bytes.getLong(at));
            case DT_BOOL -> bytes.get(at) != 0 ? 1 : 0;
            default -> throw new IllegalArgumentException("not a real dtype: " + dtype);
        };
    }

    private static int typedCount(TensorProto tensor) {
        return switch (tensor.getDtype()) {
            case DT_FLOAT -> tensor.getFloatValCount();
            case DT_DOUBLE -> tensor.getDoubleValCount();
            case DT_HALF, DT_BFLOAT16 -> tensor.getHalfValCount();
            case DT_INT8, DT_UINT8, DT_INT16, DT_UINT16, DT_INT32 -> tensor.getIntValCount();
            case DT_UINT32 -> tensor.getUint32ValCount();
            case DT_INT64 -> tensor.getInt64ValCount();
            case DT_UINT64 -> tensor.getUint64ValCount();
            case DT_BOOL -> tensor.getBoolValCount();
            default -> 0;
        };
    }

    private static double readTyped(TensorProto tensor, int i) {
        return switch (tensor.getDtype()) {
            case DT_FLOAT -> tensor.getFloatVal(i);
            case DT_DOUBLE -> tensor.getDoubleVal(i);
            case DT_HALF -> Float.float16ToFloat((short) tensor.getHalfVal(i));
            case DT_BFLOAT16 -> Float.intBitsToFloat((tensor.getHalfVal(i) & 0xffff) << 16);
            case DT_INT8, DT_INT16, DT_INT32 -> tensor.getIntVal(i);
            case DT_UINT8 -> tensor.getIntVal(i) & 0xff;
            case DT_UINT16 -> tensor.getIntVal(i) & 0xffff;
            case DT_UINT32 -> tensor.getUint32Val(i) & 0xffffffffL;
            case DT_INT64 -> tensor.getInt64Val(i);
            case DT_UINT64 -> unsignedToDouble(tensor.getUint64Val(i));
            case DT_BOOL -> tensor.getBoolVal(i) ? 1 : 0;
            default -> throw new IllegalArgumentException("not a real dtype: " + tensor.getDtype());
        };
    }

    private static double unsignedToDouble(long bits) {
        double value = (double) (bits >>> 1) * 2.0 + (bits & 1);
        return bits >= 0 ? bits : value;
    }
}
