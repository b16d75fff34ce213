package dev.athanor.query.dataprovider.service;

import dev.athanor.query.common.error.BadInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names one blob for {@code ReadBlob}: {@code <experiment>.<run id>.<step>.<index>.<tag>}, the ids
 * decimal and the tag base64url (no padding) of its UTF-8, so the key is plain ASCII whatever the
 * tag holds. Opaque to TensorBoard, which hands it back unchanged.
 */
public record BlobKey(long experimentId, long runId, long step, int index, String tag) {

    private static final Pattern FORM = Pattern.compile("(\\d{1,18})\\.(\\d{1,18})\\.(-?\\d{1,19})\\.(\\d{1,9})\\.([A-Za-z0-9_-]*)");

    @Override
    public String toString() {
        return experimentId + "." + runId + "." + step + "." + index + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(tag.getBytes(StandardCharsets.UTF_8));
    }

    public static BlobKey parse(String key) {
        Matcher m = FORM.matcher(key == null ? "" : key);
        if (!m.matches()) {
            throw new BadInputException("blob_key", "blob_key is not one this server handed out"
                    + " (expected <experiment>.<run>.<step>.<index>.<base64url tag>): \"" + preview(key) + "\"");
        }
        try {
            String tag = new String(Base64.getUrlDecoder().decode(m.group(5)), StandardCharsets.UTF_8);
            return new BlobKey(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Integer.parseInt(m.group(4)), tag);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("blob_key", "blob_key has a malformed part: " + e.getMessage());
        }
    }

    private static String preview(String key) {
        return key == null ? "" : key.length() <= 80 ? key : key.substring(0, 80) + "…";
    }
}
