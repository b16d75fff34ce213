package dev.athanor.tfevents.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.proto.tensorboard.DataType;
import dev.athanor.proto.tensorboard.TensorProto;
import dev.athanor.proto.tensorboard.TensorShapeProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TensorValuesTest {

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
        }
        return shape.build();
    }

    private static ByteString littleEndian(int bytes, java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(buffer);
        return ByteString.copyFrom(buffer.array());
    }

    @Test
    void floatValAndTensorContentGiveTheSameExactlyWidenedFloat() {
        TensorProto typed = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).addFloatVal(0.1f).build();
        TensorProto packed = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorContent(littleEndian(4, b -> b.putFloat(0.1f))).build();

        assertThat(TensorValues.singleNumber(typed)).isEqualTo((double) 0.1f);
        assertThat(TensorValues.singleNumber(packed)).isEqualTo((double) 0.1f);
    }

    @Test
    void everyRealDtypeIsReadFromItsTypedFieldAndFromPackedContent() {
        assertThat(TensorValues.singleNumber(TensorProto.newBuilder().setDtype(DataType.DT_DOUBLE).addDoubleVal(0.1).build()))
                .isEqualTo(0.1);
        assertThat(TensorValues.singleNumber(TensorProto.newBuilder().setDtype(DataType.DT_INT32).addIntVal(-7).build()))
                .isEqualTo(-7.0);
        assertThat(TensorValues.singleNumber(TensorProto.newBuilder().setDtype(DataType.DT_UINT8).addIntVal(255).build()))
                .isEqualTo(255.0);
        assertThat(TensorValues.singleNumber(TensorProto.newBuilder().setDtype(DataType.DT_INT64).addInt64Val(1L << 40).build()))
                .isEqualTo(0x1p40);
        assertThat(TensorValues.singleNumber(TensorProto.newBuilder().setDtype(DataType.DT_UINT64).addUint64Val(-1L).build()))
                .isEqualTo(0x1p64);
        assertThat(TensorValues.singleNumber(TensorProto.newBuilder().setDtype(DataType.DT_BOOL).addBoolVal(true).build()))
                .isEqualTo(1.0);
        assertThat(TensorValues.singleNumber(TensorProto.newBuilder().setDtype(DataType.DT_HALF).addHalfVal(0x3c00).build()))
                .as("float16 1.0").isEqualTo(1.0);
        assertThat(TensorValues.singleNumber(TensorProto.newBuilder().setDtype(DataType.DT_BFLOAT16).addHalfVal(0xc040).build()))
                .as("bfloat16 -3.0").isEqualTo(-3.0);
        assertThat(TensorValues.singleNumber(TensorProto.newBuilder().setDtype(DataType.DT_DOUBLE)
                .setTensorContent(littleEndian(8, b -> b.putDouble(-2.5))).build())).isEqualTo(-2.5);
        assertThat(TensorValues.singleNumber(TensorProto.newBuilder().setDtype(DataType.DT_INT16)
                .setTensorContent(littleEndian(2, b -> b.putShort((short) -300))).build())).isEqualTo(-300.0);
        assertThat(TensorValues.singleNumber(TensorProto.newBuilder().setDtype(DataType.DT_UINT32)
                .setTensorContent(littleEndian(4, b -> b.putInt(-1))).build())).isEqualTo(4294967295.0);
        assertThat(TensorValues.singleNumber(TensorProto.newBuilder().setDtype(DataType.DT_HALF)
                .setTensorContent(littleEndian(2, b -> b.putShort((short) 0xbc00))).build())).isEqualTo(-1.0);
    }

    @Test
    void nonFiniteValuesAreKept() {
        TensorProto nan = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).addFloatVal(Float.NaN).build();
        TensorProto inf = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).addFloatVal(Float.NEGATIVE_INFINITY).build();

        assertThat(TensorValues.singleNumber(nan)).isNaN();
        assertThat(TensorValues.singleNumber(inf)).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void aSingleNumberNeedsExactlyOneElementOfARealDtype() {
        TensorProto rankOne = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(1)).addFloatVal(2).build();
        TensorProto two = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(2)).addFloatVal(2).addFloatVal(3).build();
        TensorProto tooMany = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).addFloatVal(2).addFloatVal(3).build();
        TensorProto empty = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).build();
        TensorProto shortContent = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorContent(ByteString.copyFrom(new byte[2])).build();
        TensorProto string = TensorProto.newBuilder().setDtype(DataType.DT_STRING).addStringVal(ByteString.copyFromUtf8("1")).build();

        assertThat(TensorValues.singleNumber(rankOne)).isEqualTo(2.0);
        assertThat(TensorValues.singleNumber(two)).isNull();
        assertThat(TensorValues.singleNumber(tooMany)).isNull();
        assertThat(TensorValues.singleNumber(empty)).isNull();
        assertThat(TensorValues.singleNumber(shortContent)).isNull();
        assertThat(TensorValues.singleNumber(string)).isNull();
    }

    @Test
    void aTypedFieldShorterThanTheShapeIsPaddedWithItsLastValue() {
        TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape(2, 2))
                .addIntVal(1).addIntVal(2).build();

        assertThat(TensorValues.doubles(tensor)).containsExactly(1, 2, 2, 2);
    }

    @Test
    void rowMajorContentIsReadInOrder() {
        TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_DOUBLE).setTensorShape(shape(2, 3))
                .setTensorContent(littleEndian(48, b -> {
                    for (int i = 0; i < 6; i++) {
                        b.putDouble(i * 1.5);
                    }
                })).build();

        assertThat(TensorValues.doubles(tensor)).containsExactly(0, 1.5, 3, 4.5, 6, 7.5);
        assertThat(TensorValues.shape(tensor)).containsExactly(2, 3);
        assertThat(TensorValues.elementCount(tensor)).isEqualTo(6);
    }

    @Test
    void contentAliasingPartOfALargerArrayIsReadFromItsOwnStart() {
        // What parsing with aliasing gives: tensor_content is a view into the record's payload.
        ByteString payload = littleEndian(4 + 16, b -> b.putInt(0x7f7f7f7f).putDouble(1.25).putDouble(-8));
        ByteString view = payload.substring(4);
        TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_DOUBLE).setTensorShape(shape(2))
                .setTensorContent(view).build();
        TensorProto scalar = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                .setTensorContent(littleEndian(8, b -> b.putFloat(9f).putFloat(0.5f)).substring(4)).build();

        assertThat(TensorValues.doubles(tensor)).containsExactly(1.25, -8);
        assertThat(TensorValues.singleNumber(scalar)).isEqualTo(0.5);
    }

    @Test
    void unknownSizesAndMismatchedContentAreRefused() {
        TensorProto unknown = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(-1)).addFloatVal(1).build();
        TensorProto mismatched = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(3))
                .setTensorContent(ByteString.copyFrom(new byte[8])).build();

        assertThat(TensorValues.elementCount(unknown)).isEqualTo(-1);
        assertThat(TensorValues.doubles(unknown)).isNull();
        assertThat(TensorValues.doubles(mismatched)).isNull();
    }
}
