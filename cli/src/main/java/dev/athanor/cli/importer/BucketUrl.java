package dev.athanor.cli.importer;

import java.net.URI;
import java.util.Optional;

/**
 * An experiment's place in a bucket, as {@code s3://BUCKET/KEYS} or {@code gs://BUCKET/KEYS}:
 * {@code keyPrefix} ends with '/' so that {@code …/exp} never also matches {@code …/exp2}.
 */
record BucketUrl(String scheme, String bucket, String keyPrefix) {

    /** The URL when {@code from} names a bucket, empty when it is a folder. */
    static Optional<BucketUrl> parse(String from) {
        int colon = from.indexOf("://");
        if (colon < 0) {
            return Optional.empty();
        }
        String scheme = from.substring(0, colon);
        if (!scheme.equals("s3") && !scheme.equals("gs")) {
            throw new IllegalArgumentException("--from " + from + ": only s3://BUCKET/KEYS, gs://BUCKET/KEYS or a folder"
                    + " can be imported");
        }
        URI uri = URI.create(from);
        String bucket = uri.getHost();
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "").replaceAll("/+$", "");
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("--from " + from + " names no bucket (expected " + scheme
                    + "://BUCKET/<prefix>/<project>/<experiment>)");
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException("--from " + from + " names a whole bucket; name the experiment's keys ("
                    + scheme + "://" + bucket + "/<prefix>/<project>/<experiment>)");
        }
        return Optional.of(new BucketUrl(scheme, bucket, path + "/"));
    }

    /** The last part of the key prefix: the experiment's name in the archive layout. */
    String lastPart() {
        String trimmed = keyPrefix.substring(0, keyPrefix.length() - 1);
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return scheme + "://" + bucket + "/" + keyPrefix;
    }
}
