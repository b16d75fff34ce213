package dev.athanor.systemtests.harness;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/** Stock TensorBoard's own HTTP API (what its web app asks), at one base URL. */
public final class TensorBoardHttp {

    /** TensorBoard writes NaN and the infinities as bare tokens. */
    public static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** One answer: the status, the content type and the body as sent. */
    public record Answer(int status, String contentType, byte[] body) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as JSON; a body that is not JSON becomes a JSON string of its text. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException notJson) {
                return JSON.getNodeFactory().textNode(text());
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Answer that && status == that.status && contentType.equals(that.contentType)
                    && Arrays.equals(body, that.body);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            String text = text();
            return status + " " + contentType + " " + body.length + " bytes"
                    + (contentType.contains("json") || contentType.startsWith("text")
                    ? ": " + (text.length() > 300 ? text.substring(0, 300) + "…" : text) : "");
        }
    }

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** @param base e.g. {@code http://127.0.0.1:6006/} */
    public TensorBoardHttp(String base) {
        this.base = base.endsWith("/") ? base : base + "/";
    }

    public Answer get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    /** POST of a JSON body, as the hparams plugin's routes take their requests. */
    public Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** {@code run=…&tag=…} and more pairs, encoded. */
    public static String query(String... namesAndValues) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            query.append(i == 0 ? "" : "&").append(namesAndValues[i]).append('=')
                    .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    private URI uri(String pathAndQuery) {
        return URI.create(base + (pathAndQuery.startsWith("/") ? pathAndQuery.substring(1) : pathAndQuery));
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = http.send(request.timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("TensorBoard at " + base + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
