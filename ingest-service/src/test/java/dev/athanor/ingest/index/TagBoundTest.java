package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TagBoundTest {

    @Test
    void theBoundCountsUtf8BytesNotCharacters() {
        TagBound bound = new TagBound(8);
        assertThat(bound.admits("abcdefgh")).isTrue();
        assertThat(bound.admits("abcdefghi")).isFalse();
        assertThat(bound.admits("éééé")).isTrue();       // 8 bytes
        assertThat(bound.admits("ééééé")).isFalse();     // 5 characters, 10 bytes
        assertThat(bound.admits("😀😀")).isTrue();         // two surrogate pairs, 8 bytes
        assertThat(bound.admits("😀😀a")).isFalse();
        assertThat(TagBound.utf8Length("a€😀")).isEqualTo(1 + 3 + 4);
    }

    @Test
    void aPreviewIsShortAndEscapesControlCharacters() {
        assertThat(TagBound.preview("a\nb\u001b[31m")).isEqualTo("a\\u000ab\\u001b[31m");
        String preview = TagBound.preview("x".repeat(1 << 20));
        assertThat(preview).hasSize(65).endsWith("…");
    }
}
