package dev.athanor.query.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.query.assets.api.ByteRange;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void resolvesTheThreeFormsAgainstTheSize() throws Exception {
        assertThat(ByteRange.parse("bytes=0-9", 100)).contains(new ByteRange(0, 9));
        assertThat(ByteRange.parse("bytes=90-", 100)).contains(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-10", 100)).contains(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-1000", 100)).contains(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=50-1000", 100)).contains(new ByteRange(50, 99));
    }

    @Test
    void ignoresWhatItDoesNotServe() throws Exception {
        assertThat(ByteRange.parse(null, 100)).isEmpty();
        assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isEmpty();
        assertThat(ByteRange.parse("items=0-1", 100)).isEmpty();
        assertThat(ByteRange.parse("bytes=9-1", 100)).isEmpty();
        assertThat(ByteRange.parse("bytes=x-1", 100)).isEmpty();
    }

    @Test
    void aRangePastTheEndIsUnsatisfiable() {
        assertThatThrownBy(() -> ByteRange.parse("bytes=100-", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }
}
