package dev.athanor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditLogTest {

    @Test
    void valuesWithSpacesQuotesOrControlCharactersAreQuotedSoALineStaysOneLine() {
        StringBuilder line = new StringBuilder("audit");
        AuditLog.pair(line, "run", "mnist/lr-0.1");
        AuditLog.pair(line, "detail", "needs \"writer\" in demo");
        AuditLog.pair(line, "name", "a\nb");
        AuditLog.pair(line, "skipped", null);
        assertThat(line.toString())
                .isEqualTo("audit run=mnist/lr-0.1 detail=\"needs \\\"writer\\\" in demo\" name=\"a\\u000ab\"");
    }
}
