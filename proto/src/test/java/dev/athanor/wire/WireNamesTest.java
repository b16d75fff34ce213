package dev.athanor.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WireNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {".", "train", "a/b/c", "lightning_logs/version_0", "run@d621032", "炼丹/实验 1"})
    void acceptsOrdinaryRunPaths(String path) {
        assertThat(WireNames.runPathProblem(path)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "../x|contains the segment '..'",
            "/etc|is absolute",
            "a//b|empty segment",
            ".athanor.journal|reserved prefix",
            "a\\b|backslash"})
    void refusesPathsThatCouldEscapeOrConfuse(String path, String why) {
        assertThat(WireNames.runPathProblem(path)).contains(why);
    }

    @Test
    void segmentsAreCountedInBytesAsFilesystemsCountThem() {
        String ascii = "a".repeat(255);
        String threeByteChars = "实".repeat(86); // 258 bytes, 86 characters
        assertThat(WireNames.runPathProblem(ascii)).isNull();
        assertThat(WireNames.runPathProblem("x/" + threeByteChars))
                .contains("segment of 258 bytes").contains("(255)");
        assertThat(WireNames.fileNameProblem(threeByteChars)).contains("258 bytes");
        assertThat(WireNames.experimentNameProblem("实".repeat(85))).isNull();
    }

    @Test
    void wholePathsAreBoundedInBytes() {
        String deep = ("实".repeat(80) + "/").repeat(5) + "x"; // 5 × 241 + 1 bytes
        assertThat(WireNames.runPathProblem(deep)).contains("1206 bytes").contains("more than 1024");
    }

    @Test
    void controlCharactersAreNamedByCodePointAndEscapedInTheMessage() {
        assertThat(WireNames.runPathProblem("ok/bad\nname"))
                .contains("U+000A at index 3").contains("ok/bad\\u000aname");
    }

    @Test
    void loneSurrogatesAreRefusedBecauseTheyHaveNoUtf8Form() {
        assertThat(WireNames.runPathProblem("run\uD800x")).contains("lone surrogate U+D800");
        assertThat(WireNames.runPathProblem("emoji\uD83D\uDE00")).isNull();
    }

    @Test
    void assetPathsLiveUnderPluginsAndAreNotEventFiles() {
        assertThat(WireNames.assetPathProblem("plugins/profile/s1/host.xplane.pb")).isNull();
        assertThat(WireNames.assetPathProblem("profile/host.xplane.pb")).contains("not a plugin file");
        assertThat(WireNames.assetPathProblem("plugins/x/events.out.tfevents.1")).contains("event file");
        assertThat(WireNames.assetPathProblem("/plugins/x/y")).contains("relative to the run directory");
    }

    @Test
    void pytorchTracesAreAssetsRightInTheRunDirectory() {
        assertThat(WireNames.assetPathProblem("vm_27516.1796553923108403786.pt.trace.json")).isNull();
        assertThat(WireNames.assetPathProblem("node1.cluster_7.1796553923108403786.pt.trace.json.gz")).isNull();
        assertThat(WireNames.assetPathProblem("notes.txt")).contains("not a plugin file");
        assertThat(WireNames.assetPathProblem(".pt.trace.json")).contains("not a plugin file");
        assertThat(WireNames.assetPathProblem("sub/w.1.pt.trace.json")).contains("not a plugin file");
        assertThat(WireNames.assetPathProblem(".athanor.w.1.pt.trace.json")).contains("reserved prefix");
    }

    @Test
    void printableCutsLongNamesAndEscapesControls() {
        assertThat(WireNames.printable("a\u0007b")).isEqualTo("a\\u0007b");
        assertThat(WireNames.printable("x".repeat(10_000))).hasSize(200);
    }
}
