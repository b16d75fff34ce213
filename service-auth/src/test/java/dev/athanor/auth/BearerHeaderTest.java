package dev.athanor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerHeaderTest {

    @Test
    void aBearerJwtIsTaken() {
        assertThat(BearerHeader.parse("Bearer aaa.bbb.ccc").token()).isEqualTo("aaa.bbb.ccc");
        assertThat(BearerHeader.parse("bearer  aaa.bbb.ccc ").token()).isEqualTo("aaa.bbb.ccc");
    }

    @Test
    void malformedHeadersSayWhatIsWrong() {
        assertThat(BearerHeader.parse(null).problem()).startsWith("no bearer token");
        assertThat(BearerHeader.parse("Basic dXNlcjpwYXNz").problem()).contains("Bearer scheme").contains("'Basic'");
        assertThat(BearerHeader.parse("Bearer").problem()).contains("carries no token");
        assertThat(BearerHeader.parse("Bearer not-a-jwt").problem()).contains("not a JWT");
        assertThat(BearerHeader.parse("Bearer a.b.c<script>").problem()).contains("not a JWT");
        assertThat(BearerHeader.parse("Bearer " + "a".repeat(BearerHeader.MAX_LENGTH) + ".b.c").problem())
                .contains("at most " + BearerHeader.MAX_LENGTH);
    }
}
