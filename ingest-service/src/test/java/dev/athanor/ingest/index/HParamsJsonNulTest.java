package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.index.write.PgText;
import dev.athanor.tfevents.decode.HParamValue;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HParamsJsonNulTest {

    @Test
    void nulInNamesAndValuesIsWrittenAsTheReplacementCharacter() {
        Map<String, HParamValue> hparams = new LinkedHashMap<>();
        hparams.put("opt\0imizer", new HParamValue.StringValue("ad\0am"));
        hparams.put("lr", new HParamValue.NumberValue(0.1));
        String json = HParamsJson.values(hparams);
        assertThat(json).doesNotContain("\\u0000").doesNotContain("\0")
                .contains("opt\uFFFDimizer").contains("ad\uFFFDam").contains("\"lr\":0.1");
    }

    @Test
    void textWithoutNulIsUnchanged() {
        assertThat(PgText.clean("loss/train")).isSameAs("loss/train");
        assertThat(PgText.clean(null)).isNull();
    }
}
