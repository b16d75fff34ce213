package dev.athanor.query.alerts.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * One webhook call: the target checked against the allow-list on the addresses it resolves to
 * now, then a POST of the body with the delivery's id, the event kind, a timestamp and (when the
 * rule has a secret) the signature. Redirects are not followed (one could lead anywhere).
 */
public final class WebhookClient {

    public static final String DELIVERY_HEADER = "X-Athanor-Delivery";
    public static final String EVENT_HEADER = "X-Athanor-Event";

    /** What happened: {@code status} when the target answered, {@code error} when it did not or was refused. */
    public record Result(boolean delivered, Integer status, String error, boolean refused) {
    }

    private final TargetPolicy policy;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;

    public WebhookClient(TargetPolicy policy, Duration timeout, Clock clock) {
        this.policy = policy;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    public Result send(String url, String secret, String body, long deliveryId, String kind) {
        URI uri;
        try {
            policy.check(url);
            uri = TargetPolicy.parse(url);
        } catch (TargetPolicy.RefusedTarget e) {
            return new Result(false, null, "the target " + e.getMessage(), true);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "athanor-alerts")
                .header(DELIVERY_HEADER, Long.toString(deliveryId))
                .header(EVENT_HEADER, kind.toLowerCase(java.util.Locale.ROOT))
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (secret != null) {
            request.header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, bytes));
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            return new Result(status >= 200 && status < 300, status,
                    status >= 200 && status < 300 ? null : "the target answered HTTP " + status, false);
        } catch (IOException e) {
            return new Result(false, null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, null, "interrupted", false);
        }
    }
}
