package dev.athanor.testing.keycloak;

import static dev.athanor.testing.keycloak.AthanorRealm.ADMIN;
import static dev.athanor.testing.keycloak.AthanorRealm.AUDIENCE;
import static dev.athanor.testing.keycloak.AthanorRealm.READER;
import static dev.athanor.testing.keycloak.AthanorRealm.ROLES_CLAIM;
import static dev.athanor.testing.keycloak.AthanorRealm.WRITER;
import static dev.athanor.testing.keycloak.AthanorRealm.role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.testing.keycloak.AthanorRealm.DemoUser;
import dev.athanor.testing.keycloak.AthanorRealm.PodClient;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/keycloak/athanor-realm.json in a real Keycloak (one start for the whole class): the tokens
 * that pods and people get carry what the services will check, and the flows the realm should refuse
 * are refused. Test names read as grant / caller / outcome.
 */
class AthanorRealmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Added to a copy of the realm by this test only: a pod client whose secret expired in 2001... */
    private static final PodClient EXPIRED = new PodClient("uploader-expired", "uploader-expired-dev-secret", "demo");
    /** ...and, as the control, one whose secret expires in 2100. */
    private static final PodClient NOT_EXPIRED = new PodClient("uploader-expiring", "uploader-expiring-dev-secret", "demo");

    @TempDir
    static Path tmp;
    static KeycloakServer keycloak;
    static TokenClient tokens;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void startKeycloak() throws Exception {
        Path realm = withSecretExpiryClients(AthanorRealm.file());
        keycloak = KeycloakServer.start(realm);
        tokens = keycloak.tokens();
        System.out.printf("Keycloak %s ready in %.1f s (kc.sh start-dev, realm imported, pid %d, log %s)%n",
                KeycloakDistribution.resolved().version(), keycloak.startupTime().toMillis() / 1000.0,
                keycloak.pid(), keycloak.logFile());
    }

    @AfterAll
    static void stopKeycloak() {
        if (keycloak != null) {
            long pid = keycloak.pid();
            List<ProcessHandle> tree = ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of());
            keycloak.close();
            // kc.sh and the JVM it started are both gone.
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(tree).noneMatch(ProcessHandle::isAlive);
        }
    }

    // --- client credentials: training pods ---------------------------------------------------

    @Test
    void clientCredentials_podOfDemo_tokenHasDemoWriterRolesAndApiAudience() {
        assertPodToken(AthanorRealm.UPLOADER_DEMO, "other");
    }

    @Test
    void clientCredentials_podOfOther_tokenHasOtherWriterRolesAndApiAudience() {
        assertPodToken(AthanorRealm.UPLOADER_OTHER, "demo");
    }

    private static void assertPodToken(PodClient pod, String foreignProject) {
        TokenResponse token = tokens.clientCredentials(pod.clientId(), pod.secret());
        JwtClaims claims = token.claims();

        assertThat(token.tokenType()).isEqualToIgnoringCase("Bearer");
        assertThat(claims.issuer()).isEqualTo(keycloak.issuer("athanor"));
        assertThat(claims.audience()).containsExactly(AUDIENCE);
        assertThat(claims.string("azp")).isEqualTo(pod.clientId());
        assertThat(claims.string("preferred_username")).isEqualTo("service-account-" + pod.clientId());
        assertThat(claims.subject()).isNotBlank();
        // The writer role and, through the composite, reader: nothing of another project, no admin.
        assertThat(claims.strings(ROLES_CLAIM))
                .containsExactlyInAnyOrder(role(pod.project(), WRITER), role(pod.project(), READER));
        assertThat(claims.strings(ROLES_CLAIM)).noneMatch(r -> r.startsWith("project:" + foreignProject + ":"));
        assertThat(Duration.between(claims.issuedAt(), claims.expiresAt())).isEqualTo(Duration.ofMinutes(5));
        assertThat(claims.header()).containsEntry("alg", "RS256").containsKey("kid");
    }

    @Test
    void clientCredentials_wrongSecret_refused401() {
        PodClient pod = AthanorRealm.UPLOADER_DEMO;
        assertThatThrownBy(() -> tokens.clientCredentials(pod.clientId(), pod.secret() + "-wrong"))
                .isInstanceOfSatisfying(TokenRequestRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.error()).isIn("unauthorized_client", "invalid_client");
                });
    }

    @Test
    void clientCredentials_expiredSecret_refused401EvenThoughItMatches() {
        assertThatThrownBy(() -> tokens.clientCredentials(EXPIRED.clientId(), EXPIRED.secret()))
                .isInstanceOfSatisfying(TokenRequestRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.error()).isIn("unauthorized_client", "invalid_client");
                });
    }

    @Test
    void clientCredentials_secretExpiringIn2100_accepted() {
        assertThat(tokens.clientCredentials(NOT_EXPIRED.clientId(), NOT_EXPIRED.secret()).claims().string("azp"))
                .isEqualTo(NOT_EXPIRED.clientId());
    }

    @Test
    void clientCredentials_unknownClient_refused401() {
        assertThatThrownBy(() -> tokens.clientCredentials("uploader-nobody", "anything"))
                .isInstanceOfSatisfying(TokenRequestRefused.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void clientCredentials_publicWebClient_refused() {
        assertThatThrownBy(() -> tokens.clientCredentials(AthanorRealm.WEB_CLIENT, "none"))
                .isInstanceOfSatisfying(TokenRequestRefused.class, e -> assertThat(e.status()).isBetween(400, 401));
    }

    // --- password grant: demo people (tests only) --------------------------------------------

    @Test
    void password_demoReader_tokenHasDemoReaderOnly() {
        assertUserToken(AthanorRealm.DEMO_READER, Set.of(role("demo", READER)));
    }

    @Test
    void password_demoWriter_tokenHasDemoWriterAndReader() {
        assertUserToken(AthanorRealm.DEMO_WRITER, Set.of(role("demo", WRITER), role("demo", READER)));
    }

    @Test
    void password_otherReader_tokenHasOtherReaderOnly() {
        assertUserToken(AthanorRealm.OTHER_READER, Set.of(role("other", READER)));
    }

    private static void assertUserToken(DemoUser user, Set<String> expectedRoles) {
        JwtClaims claims = tokens.password(AthanorRealm.TEST_CLIENT, user.username(), user.password()).claims();

        assertThat(claims.issuer()).isEqualTo(keycloak.issuer());
        assertThat(claims.audience()).containsExactly(AUDIENCE);
        assertThat(Set.copyOf(claims.strings(ROLES_CLAIM))).isEqualTo(expectedRoles);
        assertThat(claims.strings(ROLES_CLAIM)).doesNotContain(role(user.project(), ADMIN));
        assertThat(claims.string("preferred_username")).isEqualTo(user.username());
        assertThat(claims.string("email")).isEqualTo(user.username() + "@athanor.example");
        assertThat(claims.string("given_name")).isNotBlank();
        assertThat(claims.string("family_name")).isNotBlank();
        assertThat(claims.subject()).isNotBlank();
    }

    @Test
    void password_wrongPassword_refused400InvalidGrant() {
        assertThatThrownBy(() -> tokens.password(AthanorRealm.TEST_CLIENT, "demo-reader", "not-the-password"))
                .isInstanceOfSatisfying(TokenRequestRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("invalid_grant");
                });
    }

    @Test
    void password_viaWebClient_refusedBecauseOnlyCodeFlowIsEnabled() {
        assertThatThrownBy(() -> tokens.password(AthanorRealm.WEB_CLIENT, "demo-reader", "demo-reader"))
                .isInstanceOfSatisfying(TokenRequestRefused.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("unauthorized_client");
                });
    }

    // --- people: device grant (CLI) and code + PKCE (web UI) ---------------------------------

    @Test
    void deviceGrant_cliClient_getsUserCodeAndVerificationUri() {
        TokenClient.DeviceAuthorization device = tokens.deviceAuthorization(AthanorRealm.CLI_CLIENT);

        assertThat(device.deviceCode()).isNotBlank();
        assertThat(device.userCode()).isNotBlank();
        assertThat(device.verificationUri()).startsWith(keycloak.issuer() + "/device");
        assertThat(device.expiresInSeconds()).isEqualTo(600);
        assertThat(device.intervalSeconds()).isEqualTo(5);
        // Polling before the person approved: "authorization_pending", the CLI keeps polling.
        assertThatThrownBy(() -> tokens.post(tokens.tokenEndpoint(), Map.of(
                "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "client_id", AthanorRealm.CLI_CLIENT, "device_code", device.deviceCode())))
                .isInstanceOfSatisfying(TokenRequestRefused.class,
                        e -> assertThat(e.error()).isEqualTo("authorization_pending"));
    }

    @Test
    void deviceGrant_webClient_refused() {
        assertThatThrownBy(() -> tokens.deviceAuthorization(AthanorRealm.WEB_CLIENT))
                .isInstanceOfSatisfying(TokenRequestRefused.class, e -> assertThat(e.status()).isBetween(400, 401));
    }

    @Test
    void codeFlow_webClientWithPkceS256_showsLoginPage() throws Exception {
        HttpResponse<String> response = authorize(AthanorRealm.WEB_CLIENT, "http://127.0.0.1:8081/",
                "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method", "S256");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("kc-form-login");
    }

    @Test
    void codeFlow_webClientWithoutPkce_redirectedBackWithInvalidRequest() throws Exception {
        HttpResponse<String> response = authorize(AthanorRealm.WEB_CLIENT, "http://127.0.0.1:8081/");

        assertThat(response.statusCode()).isEqualTo(302);
        String location = response.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("http://127.0.0.1:8081/").contains("error=invalid_request");
    }

    @Test
    void codeFlow_webClientWithPlainPkce_redirectedBackWithInvalidRequest() throws Exception {
        HttpResponse<String> response = authorize(AthanorRealm.WEB_CLIENT, "http://localhost:5173/cb",
                "code_challenge", "a-plain-verifier-that-is-long-enough-to-be-accepted-0123456789",
                "code_challenge_method", "plain");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow())
                .startsWith("http://localhost:5173/cb").contains("error=invalid_request");
    }

    @Test
    void codeFlow_webClientWithForeignRedirectUri_refusedWithoutRedirect() throws Exception {
        HttpResponse<String> response = authorize(AthanorRealm.WEB_CLIENT, "https://attacker.example/cb",
                "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method", "S256");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }

    private static HttpResponse<String> authorize(String clientId, String redirectUri, String... extra)
            throws Exception {
        StringBuilder query = new StringBuilder("response_type=code&scope=openid&state=s1&client_id=")
                .append(enc(clientId)).append("&redirect_uri=").append(enc(redirectUri));
        for (int i = 0; i < extra.length; i += 2) {
            query.append('&').append(enc(extra[i])).append('=').append(enc(extra[i + 1]));
        }
        URI uri = URI.create(keycloak.issuer() + "/protocol/openid-connect/auth?" + query);
        return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    // --- what the services will check: issuer and signature through discovery and JWKS --------

    @Test
    void discoveryAndJwks_podToken_issuerMatchesAndSignatureVerifies() throws Exception {
        TokenResponse token = tokens.clientCredentials(AthanorRealm.UPLOADER_DEMO.clientId(),
                AthanorRealm.UPLOADER_DEMO.secret());
        JsonNode discovery = getJson(tokens.discovery());
        assertThat(discovery.path("issuer").asText()).isEqualTo(token.claims().issuer());

        JsonNode jwks = getJson(URI.create(discovery.path("jwks_uri").asText()));
        String kid = (String) token.claims().header().get("kid");
        JsonNode key = null;
        for (JsonNode k : jwks.path("keys")) {
            if (kid.equals(k.path("kid").asText())) {
                key = k;
            }
        }
        assertThat(key).as("JWKS key %s", kid).isNotNull();

        String[] parts = token.accessToken().split("\\.");
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        assertThat(verifyRs256(key, signed, parts[2])).isTrue();
        // One flipped byte in the claims and the same signature no longer verifies.
        signed[signed.length - 1] ^= 1;
        assertThat(verifyRs256(key, signed, parts[2])).isFalse();
    }

    private static boolean verifyRs256(JsonNode jwk, byte[] signed, String signature) throws Exception {
        Base64.Decoder b64 = Base64.getUrlDecoder();
        PublicKey publicKey = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, b64.decode(jwk.path("n").asText())),
                new BigInteger(1, b64.decode(jwk.path("e").asText()))));
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update(signed);
        return verifier.verify(b64.decode(signature));
    }

    private static JsonNode getJson(URI uri) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A copy of the realm with two more pod clients: one whose secret expired, one whose secret has not. */
    private static Path withSecretExpiryClients(Path realmFile) throws Exception {
        ObjectNode realm = (ObjectNode) JSON.readTree(realmFile.toFile());
        addPodClient(realm, EXPIRED, 1_000_000_000L); // 2001-09-09
        addPodClient(realm, NOT_EXPIRED, 4_102_444_800L); // 2100-01-01
        Path copy = tmp.resolve("athanor-realm-with-expiry-clients.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(copy.toFile(), realm);
        return copy;
    }

    private static void addPodClient(ObjectNode realm, PodClient pod, long secretExpiresAtEpochSecond) {
        ObjectNode client = ((ArrayNode) realm.get("clients")).addObject();
        client.put("clientId", pod.clientId());
        client.put("enabled", true);
        client.put("publicClient", false);
        client.put("clientAuthenticatorType", "client-secret");
        client.put("secret", pod.secret());
        client.put("standardFlowEnabled", false);
        client.put("serviceAccountsEnabled", true);
        // Keycloak's secret-rotation attribute: epoch seconds after which the secret is refused.
        client.putObject("attributes").put("client.secret.expiration.time", Long.toString(secretExpiresAtEpochSecond));
    }
}
