package dev.athanor.auth.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Really signed access tokens shaped like the realm's (docs/auth.md): issuer, audience
 * {@code athanor-api}, {@code athanor_roles}, {@code azp}, {@code preferred_username}; signed with
 * the OIDC test server's key unless a case says otherwise.
 */
public final class TestTokens {

    public static final String ISSUER = "https://server.example.com";

    private TestTokens() {
    }

    private static JwtClaimsBuilder claims(String user, List<String> roles) {
        return Jwt.issuer(ISSUER)
                .audience("athanor-api")
                .subject(UUID.nameUUIDFromBytes(user.getBytes(StandardCharsets.UTF_8)).toString())
                .preferredUserName(user)
                .claim("azp", "athanor-test")
                .claim("typ", "Bearer")
                .claim("athanor_roles", roles)
                .issuedAt(Instant.now())
                .expiresIn(300);
    }

    public static String valid(String user, String... roles) {
        return claims(user, List.of(roles)).jws().keyId("1").sign();
    }

    public static String expired(String user, String... roles) {
        Instant past = Instant.now().minusSeconds(3600);
        return claims(user, List.of(roles)).issuedAt(past).expiresAt(past.plusSeconds(300)).jws().keyId("1").sign();
    }

    public static String wrongIssuer(String user, String... roles) {
        return claims(user, List.of(roles)).issuer("https://evil.example/realms/athanor").jws().keyId("1").sign();
    }

    public static String wrongAudience(String user, String... roles) {
        return claims(user, List.of(roles)).audience("account").jws().keyId("1").sign();
    }

    /** Same kid as the realm's key, signed with another key: the signature does not verify. */
    public static String otherKey(String user, String... roles) {
        return claims(user, List.of(roles)).jws().keyId("1").sign(OTHER_KEY);
    }

    /** An unsigned token ({@code alg: none}) with otherwise valid claims. */
    public static String unsigned(String user, String... roles) {
        String signed = valid(user, roles);
        String payload = signed.split("\\.")[1];
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }

    private static final PrivateKey OTHER_KEY;

    static {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            OTHER_KEY = generator.generateKeyPair().getPrivate();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
