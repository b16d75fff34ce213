package dev.athanor.uploader.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSourceTest {

    @TempDir
    Path dir;

    @Test
    void aFileWinsOverTheEnvironmentAndIsReReadWhenItChanges() throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, "first\n");
        TokenSource source = TokenSource.from(file, "ATHANOR_TOKEN", Map.of("ATHANOR_TOKEN", "env"));
        assertThat(source.token()).isEqualTo("first");

        Files.writeString(file, "second");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(source.token()).isEqualTo("second");
        assertThat(source.describe()).contains(file.toString()).doesNotContain("second");
    }

    @Test
    void theEnvironmentWhenNoFileIsGiven() throws IOException {
        assertThat(TokenSource.from(null, "TOK", Map.of("TOK", " abc ")).token()).isEqualTo("abc");
        assertThat(TokenSource.from(null, "TOK", Map.of("TOK", " ")).token()).isNull();
        assertThat(TokenSource.from(null, "TOK", Map.of()).token()).isNull();
        assertThat(TokenSource.from(null, "TOK", Map.of("TOK", "abc")).toString()).doesNotContain("abc");
    }

    @Test
    void badTokenFilesAreRefusedWithTheirName() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        Path twoLines = Files.writeString(dir.resolve("two"), "a\nb\n");
        assertThatThrownBy(() -> TokenSource.from(empty, null, Map.of())).hasMessageContaining(empty + " is empty");
        assertThatThrownBy(() -> TokenSource.from(twoLines, null, Map.of())).hasMessageContaining("more than one line");
        assertThatThrownBy(() -> TokenSource.from(dir.resolve("none"), null, Map.of()))
                .hasMessageContaining("cannot read token file " + dir.resolve("none"));
    }
}
