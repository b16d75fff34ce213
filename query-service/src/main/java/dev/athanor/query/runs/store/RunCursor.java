package dev.athanor.query.runs.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.athanor.query.common.error.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Where a keyset page of runs starts: the last listed run's sort key values (as PostgreSQL's text of
 * each key, null for a run lacking the key) and its id, with a fingerprint of the listing it came
 * from (experiment, run ids, filter, sort). On the wire it is opaque: base64url of a small JSON object.
 * {@link #decode} checks only the shape; the store checks the fingerprint and each key against its type.
 */
public record RunCursor(String fingerprint, List<String> keys, long id) {

    /** The query parameter (and search body field) that carries a cursor. */
    public static final String PARAM = "cursor";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_LENGTH = 8192;

    public RunCursor {
        keys = Collections.unmodifiableList(new ArrayList<>(keys));
    }

    public String encode() {
        ObjectNode node = JSON.createObjectNode();
        node.put("f", fingerprint);
        ArrayNode k = node.putArray("k");
        keys.forEach(k::add);
        node.put("id", id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a cursor given by a client; anything but a cursor this service wrote is a 400 naming the parameter. */
    public static RunCursor decode(String text) {
        if (text.length() > MAX_LENGTH) {
            throw bad("is longer than any cursor this service writes");
        }
        JsonNode node;
        try {
            node = JSON.readTree(Base64.getUrlDecoder().decode(text.strip()));
        } catch (IllegalArgumentException | IOException e) {
            throw bad("is not a cursor this service wrote (not base64url JSON)");
        }
        if (node == null || !node.isObject() || !node.path("f").isTextual() || !node.path("k").isArray()
                || !node.path("id").canConvertToLong() || !node.path("id").isIntegralNumber() || node.size() != 3) {
            throw bad("is not a cursor this service wrote");
        }
        List<String> keys = new ArrayList<>();
        for (JsonNode key : node.get("k")) {
            if (!key.isNull() && !key.isTextual()) {
                throw bad("is not a cursor this service wrote (a key is neither text nor null)");
            }
            keys.add(key.isNull() ? null : key.asText());
        }
        return new RunCursor(node.get("f").asText(), keys, node.get("id").asLong());
    }

    /**
     * What a cursor is valid for: the same experiment, run ids, filter and sort. Columns, limit and
     * the caller's projects may change between pages.
     */
    public static String fingerprint(RunListQuery query) {
        String listing = query.experimentId() + "\n" + query.runIds() + "\n" + query.filter() + "\n" + query.sort();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(listing.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static BadInputException bad(String why) {
        return new BadInputException(PARAM, "cursor " + why + "; pass the \"next\" value of the previous page unchanged,"
                + " with the same experiment, filter and sort, or start again without a cursor");
    }
}
