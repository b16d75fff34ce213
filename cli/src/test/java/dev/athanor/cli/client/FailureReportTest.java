package dev.athanor.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureReportTest {

    @Test
    void aCaretPointsAtTheColumnOfTheExpressionTheServerNamed() {
        StringWriter err = new StringWriter();
        ClientFailure failure = new ClientFailure(ClientFailure.Kind.BAD_REQUEST, 400,
                "assertions[1]: at column 6: expected a number but found 'x'", "assertions[1]", 6, null);
        FailureReport.print(new PrintWriter(err), "athanor check", failure,
                Map.of("assertions[0]", "metrics.a > 1", "assertions[1]", "a <  x"));
        assertThat(err.toString()).isEqualTo("athanor check: assertions[1]: at column 6: expected a number but found 'x'\n"
                + "  a <  x\n"
                + "       ^\n");
    }

    @Test
    void noCaretWithoutAKnownExpressionOrAColumnInsideIt() {
        StringWriter err = new StringWriter();
        FailureReport.print(new PrintWriter(err), "athanor export",
                new ClientFailure(ClientFailure.Kind.BAD_REQUEST, 400, "limit must be between 1 and 1000", "limit", null, null),
                Map.of("filter", "x"));
        FailureReport.print(new PrintWriter(err), "athanor export",
                new ClientFailure(ClientFailure.Kind.BAD_REQUEST, 400, "too long", "filter", 99, null), Map.of("filter", "x"));
        assertThat(err.toString()).isEqualTo("athanor export: limit must be between 1 and 1000\nathanor export: too long\n");
    }
}
