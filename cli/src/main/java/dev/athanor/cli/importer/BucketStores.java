package dev.athanor.cli.importer;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.config.StoreConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Opens the bucket a {@link BucketUrl} names with the settings keys the services use
 * ({@code athanor.archive.s3.*}, {@code athanor.archive.gcs.*}, read from their environment
 * variables such as {@code ATHANOR_ARCHIVE_S3_ENDPOINT}), the bucket taken from the URL, the
 * command's flags over both, and the providers' own variables where those are unset
 * ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, {@code STORAGE_EMULATOR_HOST}). Credentials come
 * from {@code ATHANOR_ARCHIVE_S3_ACCESS_KEY_ID}/{@code _SECRET_ACCESS_KEY} or the SDK's default
 * chain (environment, profile, instance role) for S3, and Application Default Credentials or
 * {@code ATHANOR_ARCHIVE_GCS_CREDENTIALS_FILE} for GCS.
 */
final class BucketStores {

    /** Provider variables consulted, in order, when a key is unset. */
    private static final Map<String, List<String>> PROVIDER_VARIABLES = Map.of(
            "s3.region", List.of("AWS_REGION", "AWS_DEFAULT_REGION"),
            "s3.endpoint", List.of("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"),
            "gcs.host", List.of("STORAGE_EMULATOR_HOST"));

    private BucketStores() {
    }

    /**
     * @param flags keys below {@code athanor.archive.} given on the command line (absent ones unset)
     * @param env   the environment (System::getenv)
     */
    static ObjectStore open(BucketUrl url, Map<String, String> flags, Function<String, String> env) {
        String kind = url.scheme().equals("s3") ? "s3" : "gcs";
        Map<String, String> fixed = Map.of("store.kind", kind, kind + ".bucket", url.bucket());
        Function<String, Optional<String>> lookup = property -> {
            String key = property.substring(StoreConfig.PREFIX.length());
            if (fixed.containsKey(key)) {
                return Optional.of(fixed.get(key));
            }
            if (flags.containsKey(key)) {
                return Optional.of(flags.get(key));
            }
            Optional<String> own = Optional.ofNullable(env.apply(
                    property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')));
            if (own.isPresent()) {
                return own;
            }
            return PROVIDER_VARIABLES.getOrDefault(key, List.of()).stream().map(env).filter(v -> v != null && !v.isBlank())
                    .findFirst();
        };
        return StoreConfig.from(lookup).open();
    }
}
