package dev.athanor.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TransferProgressTest {

    @Test
    void theLineShowsBytesLinesAndRate() {
        assertThat(TransferProgress.line(12_345_678, 120_345, 2_000_000_000L))
                .isEqualTo("12.3 MB · 120,345 lines · 6.2 MB/s");
        assertThat(TransferProgress.line(999, 1, 0)).isEqualTo("999 B · 1 line");
        assertThat(TransferProgress.bytes(1_500)).isEqualTo("1.5 kB");
        assertThat(TransferProgress.bytes(3_000_000_000L)).isEqualTo("3.0 GB");
    }

    @Test
    void redrawsAtMostFiveTimesASecondAndClearsItsLine() {
        StringWriter err = new StringWriter();
        AtomicLong now = new AtomicLong();
        TransferProgress progress = new TransferProgress(new PrintWriter(err, true), true, now::get);
        progress.update(10, 1);
        assertThat(err.toString()).isEmpty();
        now.set(250_000_000L);
        progress.update(20, 2);
        now.set(300_000_000L);
        progress.update(30, 3);
        assertThat(err.toString()).isEqualTo("\r\033[2Kathanor export: 20 B · 2 lines · 80 B/s");
        progress.clear();
        assertThat(err.toString()).endsWith("\r\033[2K");
    }

    @Test
    void notLiveMeansSilent() {
        StringWriter err = new StringWriter();
        AtomicLong now = new AtomicLong();
        TransferProgress progress = new TransferProgress(new PrintWriter(err, true), false, now::get);
        now.set(10_000_000_000L);
        progress.update(1, 1);
        progress.clear();
        assertThat(err.toString()).isEmpty();
    }
}
