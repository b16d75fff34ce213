package dev.athanor.query.alerts.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.HexFormat;

/**
 * The signature of a webhook call: {@code X-Athanor-Signature: sha256=<hex>}, the HMAC-SHA256,
 * keyed with the rule's secret (its UTF-8 bytes), of the {@code X-Athanor-Timestamp} value (Unix
 * seconds, as sent), a '.', and the body's bytes. Signing the timestamp with the body lets a
 * receiver refuse replays: recompute, compare in constant time, and reject old timestamps.
 */
public final class WebhookSignature {

    public static final String SIGNATURE_HEADER = "X-Athanor-Signature";
    public static final String TIMESTAMP_HEADER = "X-Athanor-Timestamp";

    private WebhookSignature() {
    }

    /** The header value, {@code sha256=} and 64 lower-case hex digits. */
    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
