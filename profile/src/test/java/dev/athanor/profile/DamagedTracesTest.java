package dev.athanor.profile;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.profile.decode.ProfileDecodeException;
import dev.athanor.profile.decode.ProfileFormat;
import dev.athanor.profile.index.Limits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged, truncated and oversized traces fail with a message naming the file and the place. */
class DamagedTracesTest {

    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    private void decode(Path file, ProfileFormat format, Limits limits) {
        Profiles.decode(Traces.file(file), format, dir.resolve("index"), limits).close();
    }

    @Test
    void aTruncatedXPlaneNamesTheFileAndTheByte() throws IOException {
        byte[] real = Traces.bytes("tf/vm.xplane.pb");
        Path file = write("host.xplane.pb", Arrays.copyOf(real, real.length / 2));
        assertThatThrownBy(() -> decode(file, ProfileFormat.XPLANE, Limits.DEFAULT))
                .isInstanceOf(ProfileDecodeException.class)
                .hasMessageStartingWith("host.xplane.pb: not a readable XSpace")
                .hasMessageContaining("plane 0")
                .hasMessageMatching("(?s).*byte \\d+.*");
    }

    @Test
    void bytesThatAreNotAnXSpaceAreRefused() throws IOException {
        Path file = write("junk.xplane.pb", "{\"traceEvents\": []}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> decode(file, ProfileFormat.XPLANE, Limits.DEFAULT))
                .isInstanceOf(ProfileDecodeException.class).hasMessageStartingWith("junk.xplane.pb: ");
    }

    @Test
    void aTruncatedGzipTraceSaysSo() throws IOException {
        byte[] real = Traces.bytes("torch/vm.pt.trace.json.gz");
        Path file = write("w.pt.trace.json.gz", Arrays.copyOf(real, real.length - 100));
        assertThatThrownBy(() -> decode(file, ProfileFormat.PYTORCH_TRACE, Limits.DEFAULT))
                .isInstanceOf(ProfileDecodeException.class)
                .hasMessageStartingWith("w.pt.trace.json.gz: ")
                .hasMessageContaining("gzip");
    }

    @Test
    void damagedJsonIsLocatedByLineAndColumn() throws IOException {
        Path file = write("w.pt.trace.json", """
                {"traceEvents": [
                  {"ph": "X", "name": "aten::mm", "cat": "cpu_op", "ts": 1.5, "dur": 2, "pid": 1, "tid": 1},
                  {"ph": "X", "name": "aten::add" "cat": "cpu_op"}
                ]}""".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> decode(file, ProfileFormat.PYTORCH_TRACE, Limits.DEFAULT))
                .isInstanceOf(ProfileDecodeException.class)
                .hasMessageStartingWith("w.pt.trace.json: damaged JSON at line 3, column");
    }

    @Test
    void aJsonThatIsNotATraceIsRefused() throws IOException {
        Path file = write("w.trace.json.gz", gzip("{\"displayTimeUnit\": \"ns\"}"));
        assertThatThrownBy(() -> decode(file, ProfileFormat.CHROME_TRACE, Limits.DEFAULT))
                .isInstanceOf(ProfileDecodeException.class)
                .hasMessage("w.trace.json.gz: a JSON object without \"traceEvents\"; not a Chrome trace");
    }

    @Test
    void aTraceOverTheEventLimitIsTooBig() throws IOException {
        Path file = write("w.pt.trace.json", """
                [{"ph": "X", "name": "a", "cat": "cpu_op", "ts": 1, "dur": 2, "pid": 1, "tid": 1},
                 {"ph": "X", "name": "b", "cat": "cpu_op", "ts": 4, "dur": 2, "pid": 1, "tid": 1},
                 {"ph": "X", "name": "c", "cat": "cpu_op", "ts": 8, "dur": 2, "pid": 1, "tid": 1}]"""
                .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> decode(file, ProfileFormat.PYTORCH_TRACE, new Limits(2, 10, 10, 10)))
                .isInstanceOf(ProfileDecodeException.class)
                .hasMessage("w.pt.trace.json: more than 2 events; too big to decode here");
        try (var files = Files.list(dir.resolve("index"))) {
            org.assertj.core.api.Assertions.assertThat(files).as("nothing left behind").isEmpty();
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
