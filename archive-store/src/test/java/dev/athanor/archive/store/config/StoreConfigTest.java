package dev.athanor.archive.store.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.s3.S3Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreConfigTest {

    @TempDir
    Path tmp;

    private static StoreConfig of(Map<String, String> props) {
        return StoreConfig.from(StoreSettings.fromProperties(props));
    }

    private static StoreConfig replica(String name, Map<String, String> props) {
        return StoreConfig.replica(name, StoreSettings.fromProperties(props, StoreConfig.replicaPrefix(name)));
    }

    @Test
    void defaultsAreTheLocalFilesystemStore() throws Exception {
        StoreConfig config = of(Map.of("athanor.archive.filesystem.root", tmp.resolve("a").toString()));
        assertThat(config.kind()).isEqualTo(StoreConfig.Kind.FILESYSTEM);
        assertThat(config.name()).isEqualTo("primary");
        assertThat(config.prefix()).isEqualTo("athanor");
        try (ObjectStore store = config.open()) {
            assertThat(store.location()).isEqualTo(tmp.resolve("a").toUri().toString());
        }
    }

    @Test
    void s3SettingsReadTheSameKeysAsArchiveService() {
        S3Settings s3 = of(Map.of("athanor.archive.store.kind", "s3", "athanor.archive.s3.bucket", "b",
                "athanor.archive.s3.part-size", "16M", "athanor.archive.s3.path-style", "true",
                "athanor.archive.s3.endpoint", "http://127.0.0.1:9000")).s3Settings();
        assertThat(s3.bucket()).isEqualTo("b");
        assertThat(s3.partSizeBytes()).isEqualTo(16L << 20);
        assertThat(s3.multipartThresholdBytes()).isEqualTo(16L << 20);
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.coldClass()).isEqualTo("GLACIER_IR");
        assertThat(s3.restoreTier()).isEqualTo("Standard");
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> of(Map.of("athanor.archive.store.kind", "s3")).open())
                .hasMessageContaining("athanor.archive.s3.bucket").hasMessageContaining("ATHANOR_ARCHIVE_S3_BUCKET");
        assertThatThrownBy(() -> of(Map.of("athanor.archive.store.kind", "ftp")).kind())
                .hasMessageContaining("athanor.archive.store.kind");
        assertThat(StoreConfig.duration("k", "3h")).isEqualTo(Duration.ofHours(3));
        assertThat(StoreConfig.duration("k", "PT90S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> StoreConfig.duration("athanor.archive.k", "soon")).hasMessageContaining("athanor.archive.k");
    }

    @Test
    void aReplicaReadsThePrimarysKeysUnderItsOwnNameAndNothingOfThePrimary() throws Exception {
        Map<String, String> props = Map.of(
                "athanor.archive.store.kind", "s3", "athanor.archive.s3.bucket", "primary-bucket",
                "athanor.archive.replicas.dr.store.prefix", "copy",
                "athanor.archive.replicas.dr.filesystem.root", tmp.resolve("dr").toString(),
                "athanor.archive.replicas.eu.store.kind", "s3");
        StoreConfig dr = replica("dr", props);
        assertThat(dr.name()).isEqualTo("dr");
        assertThat(dr.kind()).isEqualTo(StoreConfig.Kind.FILESYSTEM);
        assertThat(dr.prefix()).isEqualTo("copy");
        try (ObjectStore store = dr.open()) {
            assertThat(store.location()).isEqualTo(tmp.resolve("dr").toUri().toString());
        }
        StoreConfig eu = replica("eu", props);
        assertThatThrownBy(eu::s3Settings).hasMessageContaining("athanor.archive.replicas.eu.s3.bucket")
                .hasMessageContaining("ATHANOR_ARCHIVE_REPLICAS_EU_S3_BUCKET");
        assertThatThrownBy(() -> StoreConfig.replica("Bad Name", StoreSettings.fromProperties(Map.of())))
                .hasMessageContaining("'Bad Name'");
    }
}
