package dev.athanor.cli.importer;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.config.StoreConfig;
import dev.athanor.archive.store.config.StoreSettings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
     * @param env   the environment ({@link System#getenv()})
     */
    static ObjectStore open(BucketUrl url, Map<String, String> flags, Map<String, String> env) {
        String kind = url.scheme().equals("s3") ? "s3" : "gcs";
        Map<String, String> given = new HashMap<>();
        flags.forEach((key, value) -> given.put(StoreConfig.PREFIX + key, value));
        given.put(StoreConfig.PREFIX + "store.kind", kind);
        given.put(StoreConfig.PREFIX + kind + ".bucket", url.bucket());
        Map<String, String> providers = new HashMap<>();
        PROVIDER_VARIABLES.forEach((key, variables) -> variables.stream().map(env::get)
                .filter(v -> v != null && !v.isBlank()).findFirst()
                .ifPresent(v -> providers.put(StoreConfig.PREFIX + key, v)));
        // The URL and the flags, then the services' own variables, then the providers'.
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(given, "athanor import flags", 300))
                .withSources(new EnvConfigSource(env, 200))
                .withSources(new PropertiesConfigSource(providers, "provider variables", 100))
                .withMapping(StoreSettings.class, StoreSettings.PREFIX)
                .build();
        return StoreConfig.from(config.getConfigMapping(StoreSettings.class, StoreSettings.PREFIX)).open();
    }
}
