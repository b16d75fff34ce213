package dev.athanor.auth.testing;

import java.util.List;
import java.util.function.Function;

/**
 * A credential every service must refuse (401 / UNAUTHENTICATED), the words its message must
 * contain, and the Authorization value for a given project (tokens otherwise valid and holding
 * admin there, so only the named defect can be the reason).
 */
public record BadCredential(String label, String expected, Function<String, String> header) {

    public static final List<BadCredential> ALL = List.of(
            new BadCredential("no token", "no bearer token", p -> null),
            new BadCredential("Basic credentials", "Bearer scheme", p -> "Basic ZGVtbzpkZW1v"),
            new BadCredential("malformed bearer value", "not a JWT", p -> "Bearer not-a-token"),
            new BadCredential("oversized header", "at most", p -> "Bearer " + "a".repeat(20_000) + ".b.c"),
            new BadCredential("expired token", "expired",
                    p -> "Bearer " + TestTokens.expired("late", "project:" + p + ":admin")),
            new BadCredential("wrong issuer", "issued by",
                    p -> "Bearer " + TestTokens.wrongIssuer("mallory", "project:" + p + ":admin")),
            new BadCredential("wrong audience", "audience",
                    p -> "Bearer " + TestTokens.wrongAudience("mallory", "project:" + p + ":admin")),
            new BadCredential("bad signature (another key)", "signature",
                    p -> "Bearer " + TestTokens.otherKey("mallory", "project:" + p + ":admin")),
            new BadCredential("alg none", "not signed",
                    p -> "Bearer " + TestTokens.unsigned("mallory", "project:" + p + ":admin")));
}
