package dev.athanor.uploader.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReportersTest {

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final Clock clock = Clock.fixed(Instant.parse("2025-01-02T03:04:05.678Z"), ZoneOffset.UTC);
    final ProgressSnapshot snapshot = new ProgressSnapshot("uploading", 2, 5, 3 * 1024 * 1024, 12_345,
            1024, 1_572_864.0, 1, 0);

    @Test
    void logLinesAreLogfmtWithQuotingWhereNeeded() {
        LogReporter reporter = new LogReporter(out, clock, 1_000, false);
        reporter.event(Reporter.Level.WARN, "problem", "corrupt record at offset 42: \"bad\"", "file", "run/x y",
                "offset", 42);

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "ts=2025-01-02T03:04:05.678Z level=warn logger=athanor.uploader event=problem"
                        + " msg=\"corrupt record at offset 42: \\\"bad\\\"\" file=\"run/x y\" offset=42\n");
    }

    @Test
    void progressLinesComeAtMostOncePerIntervalAndNotWhenNothingChanged() {
        LogReporter reporter = new LogReporter(out, clock, 1_000, false);
        reporter.progress(snapshot, 0);
        reporter.progress(snapshot, 500);
        reporter.progress(snapshot, 2_000);
        ProgressSnapshot moved = new ProgressSnapshot("uploading", 2, 5, 4 * 1024 * 1024, 13_000, 0, 1.0, 1, 0);
        reporter.progress(moved, 2_100);
        reporter.progress(moved, 3_100);

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text.lines()).hasSize(2);
        assertThat(text).contains("event=progress state=uploading runs=2 files=5 bytes_acked=3145728 records_acked=12345");
        assertThat(text).contains("bytes_acked=4194304");
    }

    @Test
    void quietKeepsWarningsAndTheSummaryOnly() {
        LogReporter reporter = new LogReporter(out, clock, 0, true);
        reporter.event(Reporter.Level.INFO, "run_found", "found run a");
        reporter.progress(snapshot, 0);
        reporter.event(Reporter.Level.WARN, "problem", "bad");
        reporter.finish(snapshot, "success", 0, "done");

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .satisfiesExactly(l -> assertThat(l).contains("event=problem"),
                        l -> assertThat(l).contains("event=done").contains("outcome=success exit_code=0"));
    }

    @Test
    void theTerminalLineSaysRunsFilesBytesRecordsAndRate() {
        assertThat(TerminalReporter.line(snapshot)).isEqualTo(
                "uploading · 2 runs · 5 files · 3.0 MiB acked (1.0 KiB to go) · 12.3k records · 1.5 MiB/s · 1 reconnects");

        TerminalReporter reporter = new TerminalReporter(out);
        reporter.progress(snapshot, 0);
        reporter.event(Reporter.Level.WARN, "problem", "corrupt record");
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("\r\033[2Kuploading");
        assertThat(text).contains("\r\033[2Kathanor upload: warning: corrupt record\n");
        assertThat(text).endsWith("1 reconnects"); // the live line is redrawn below the message
    }
}
