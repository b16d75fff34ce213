package dev.athanor.ingest.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {".", "train", "a/b/c", "lightning_logs/version_0", "run@d621032", "炼丹/实验 1", "1795729073.1751838"})
    void acceptsRelativeRunPaths(String path) {
        assertThat(Names.runPath("path", path)).isEqualTo(path);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "../x|contains the segment '..'",
            "a/./b|contains the segment '.'",
            "/etc|is absolute",
            "C:/x|drive letter",
            "a\\b|backslash",
            "a//b|empty segment",
            "a/|empty segment",
            ".athanor.journal|reserved prefix"})
    void refusesPathsThatCouldEscapeOrConfuse(String path, String why) {
        assertThatThrownBy(() -> Names.runPath("batch.run_path", path))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("batch.run_path: ")
                .hasMessageContaining(why);
    }

    @Test
    void namesControlCharactersByCodePointAndIndex() {
        assertThatThrownBy(() -> Names.runPath("path", "ok/bad\u0001name"))
                .hasMessageContaining("U+0001 at index 3").hasMessageContaining("ok/bad\\u0001name");
        assertThatThrownBy(() -> Names.runPath("path", "")).hasMessageContaining("empty");
    }

    @Test
    void fileAndExperimentNamesAreSingleSegments() {
        assertThat(Names.fileName("f", "events.out.tfevents.1.host.v2")).isNotEmpty();
        assertThatThrownBy(() -> Names.fileName("batch.file_name", "dir/events")).hasMessageContaining("'/'");
        assertThatThrownBy(() -> Names.experimentName("name", "a/b")).hasMessageContaining("name");
        assertThatThrownBy(() -> Names.experimentName("name", "..")).hasMessageContaining("'..'");
    }

    @Test
    void aSegmentOfFewCharactersButTooManyBytesIsRefusedUpFrontNotOnEveryWrite() {
        String segment = "实".repeat(100); // 100 characters, 300 bytes: more than a file name may have
        assertThatThrownBy(() -> Names.runPath("batch.run_path", "sweep/" + segment))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("batch.run_path: ")
                .hasMessageContaining("300 bytes");
    }
}
