package dev.athanor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TokenDiagnosisTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
    private static final String ISSUER = "https://kc.example/realms/athanor";

    private static String jwt(String header, String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    private static String explain(String header, String claims) {
        return TokenDiagnosis.explain(jwt(header, claims), ISSUER, "athanor-api", NOW);
    }

    private static final String RS = "{\"alg\":\"RS256\",\"kid\":\"k\"}";

    @Test
    void namesTheFirstThingWrong() {
        assertThat(explain("{\"alg\":\"none\"}", "{}")).contains("not signed");
        assertThat(explain(RS, "{\"exp\":1799999990,\"iss\":\"" + ISSUER + "\",\"aud\":\"athanor-api\"}"))
                .contains("expired").contains("10 s ago");
        assertThat(explain(RS, "{\"exp\":1800000100,\"iss\":\"https://evil\",\"aud\":\"athanor-api\"}"))
                .contains("issued by 'https://evil'");
        assertThat(explain(RS, "{\"exp\":1800000100,\"iss\":\"" + ISSUER + "\",\"aud\":[\"account\"]}"))
                .contains("audience").contains("athanor-api");
        assertThat(explain(RS, "{\"exp\":1800000100,\"iss\":\"" + ISSUER + "\",\"aud\":[\"account\",\"athanor-api\"],\"typ\":\"ID\"}"))
                .contains("ID token");
        assertThat(explain(RS, "{\"exp\":1800000100,\"iss\":\"" + ISSUER + "/\",\"aud\":\"athanor-api\"}"))
                .contains("signature");
        assertThat(TokenDiagnosis.explain("e30.!!!.x", ISSUER, "athanor-api", NOW)).contains("not a readable JWT");
    }
}
