package dev.athanor.index.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A cleared COPY stream is byte for byte a new one: header again, no rows, the buffer kept. */
class BinaryCopyTest {

    private static byte[] stream(BinaryCopy copy) {
        copy.row(2).int8(7).float8Array(new double[] {1.5, Double.NaN, -2}, 0, 3);
        return Arrays.copyOf(copy.finish(), copy.length());
    }

    @Test
    void aClearedStreamEqualsAFreshOne() {
        byte[] fresh = stream(new BinaryCopy(64));
        BinaryCopy reused = new BinaryCopy(64);
        reused.row(1).text("a row of an earlier COPY, longer than the first buffer: " + "x".repeat(200));
        reused.finish();
        reused.clear();
        assertThat(reused.rows()).isZero();
        assertThat(stream(reused)).isEqualTo(fresh);
        assertThat(reused.rows()).isEqualTo(1);
    }

    @Test
    void anUnusuallyLargeBufferIsNotKept() {
        BinaryCopy copy = new BinaryCopy(64);
        copy.row(1).bytea(new byte[BinaryCopy.MAX_KEPT_BYTES + 1]);
        copy.finish();
        copy.clear();
        assertThat(stream(copy)).isEqualTo(stream(new BinaryCopy(64)));
        assertThat(copy.finish().length).isLessThan(BinaryCopy.MAX_KEPT_BYTES);
    }
}
