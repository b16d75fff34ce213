package dev.athanor.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void numbersReadBackExactlyWithoutExponentsForEverydayMagnitudes() {
        assertThat(Cells.number(0.949999988079071)).isEqualTo("0.949999988079071");
        assertThat(Cells.number(1795729073.136863)).isEqualTo("1795729073.136863");
        assertThat(Cells.number(2000.0)).isEqualTo("2000");
        assertThat(Cells.number(-0.5)).isEqualTo("-0.5");
        assertThat(Cells.number(1e-9)).isEqualTo("1.0E-9");
        assertThat(Cells.number(Double.NaN)).isEqualTo("NaN");
        assertThat(Cells.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        for (double value : new double[] {0.1, 1.0 / 3, 123456.789, (float) 0.92, 1e-6, 9.99e14}) {
            assertThat(Double.parseDouble(Cells.number(value))).isEqualTo(value);
        }
    }

    @Test
    void jsonValuesAsCells() throws IOException {
        assertThat(Cells.value(JSON.readTree("42"))).isEqualTo("42");
        assertThat(Cells.value(JSON.readTree("\"NaN\""))).isEqualTo("NaN");
        assertThat(Cells.value(JSON.readTree("null"))).isEmpty();
        assertThat(Cells.value(null)).isEmpty();
        assertThat(Cells.value(JSON.readTree("[1,2]"))).isEqualTo("[1,2]");
        assertThat(Cells.keyValues(JSON.readTree("{\"lr\":0.01,\"optimizer\":\"adam\",\"bn\":true}")))
                .isEqualTo("lr=0.01 optimizer=adam bn=true");
        assertThat(Cells.localTime(JSON.readTree("\"not a time\""))).isEqualTo("not a time");
    }

    @Test
    void csvQuotesOnlyWhatNeedsIt() {
        StringWriter out = new StringWriter();
        Csv.row(new PrintWriter(out, true), Arrays.asList("plain", "a,b", "say \"hi\"", "two\nlines", null, ""));
        assertThat(out.toString()).isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\r\n");
    }

    @Test
    void tablesAlignTextLeftAndNumbersRight() {
        StringWriter out = new StringWriter();
        new TextTable("ID", "RUN", "VALUE").numeric(0, 2)
                .row("7", "train", "0.5")
                .row("12", "eval/with\nbreak", "10")
                .print(new PrintWriter(out, true), "> ");
        assertThat(out.toString().lines().toList()).isEqualTo(List.of(
                "> ID  RUN              VALUE",
                ">  7  train              0.5",
                "> 12  eval/with break     10"));
    }

    @Test
    void tableCellsCannotInjectTerminalEscapesOrPadEveryRowToAHugeWidth() {
        StringWriter out = new StringWriter();
        String hugeTag = "t".repeat(1 << 20);
        new TextTable("RUN", "TAG")
                .row("evil\u001b[2Jrun", "loss")
                .row("run", hugeTag)
                .print(new PrintWriter(out, true));
        List<String> lines = out.toString().lines().toList();
        assertThat(out.toString()).doesNotContain("\u001b").contains("evil\\u001b[2Jrun");
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThan(2 * TextTable.MAX_CELL + 10));
        assertThat(lines.get(2)).endsWith("…").contains("t".repeat(TextTable.MAX_CELL - 1));
        assertThat(TextTable.cell("x".repeat(TextTable.MAX_CELL))).hasSize(TextTable.MAX_CELL).doesNotContain("…");
    }
}
