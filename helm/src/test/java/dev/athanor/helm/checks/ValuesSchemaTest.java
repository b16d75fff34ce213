package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A wrong value fails the install with a message that names it, before anything reaches a cluster. */
class ValuesSchemaTest {

    @Test
    void anInlinedDatabasePasswordIsRefused() {
        String message = ChartRendering.installFailure(Map.of("postgresql.password", "hunter2"));

        assertThat(message).contains("values don't meet the specifications of the schema")
                .contains("at '/postgresql': additional properties 'password' not allowed");
    }

    @Test
    void aMissingDatabaseSecretNameIsRefused() {
        assertThat(ChartRendering.templateFailure(Map.of("postgresql.existingSecret", "")))
                .contains("at '/postgresql/existingSecret': minLength: got 0, want 1");
    }

    @Test
    void turningAuthOffIsNotAValue() {
        assertThat(ChartRendering.installFailure(Map.of("auth.enabled", "false")))
                .contains("at '/auth': additional properties 'enabled' not allowed");
    }

    @Test
    void anIssuerThatIsNotAKeycloakRealmUrlIsRefused() {
        assertThat(ChartRendering.templateFailure(Map.of("auth.issuerUrl", "keycloak.example.com")))
                .contains("at '/auth/issuerUrl': 'keycloak.example.com' does not match pattern");
    }

    @Test
    void anUnknownObjectStorageKindIsRefused() {
        assertThat(ChartRendering.templateFailure(Map.of("objectStorage.kind", "azure")))
                .contains("at '/objectStorage/kind': value must be one of 's3', 'gcs'");
    }

    @Test
    void aSharedReadWriteManyHotVolumeIsRefused() {
        assertThat(ChartRendering.templateFailure(Map.of("ingest.persistence.accessMode", "ReadWriteMany")))
                .contains("at '/ingest/persistence/accessMode': value must be one of 'ReadWriteOnce', 'ReadWriteOncePod'");
    }

    @Test
    void aMisspeltKeyIsRefused() {
        assertThat(ChartRendering.templateFailure(Map.of("ingest.replica", 3)))
                .contains("at '/ingest': additional properties 'replica' not allowed");
    }

    @Test
    void aContainerWithoutAMemoryLimitIsRefused() {
        assertThat(ChartRendering.templateFailure("""
                query:
                  resources:
                    limits: {memory: null}
                """))
                .contains("at '/query/resources/limits': missing property 'memory'");
    }

    @Test
    void aBadDurationIsRefused() {
        assertThat(ChartRendering.templateFailure(Map.of("archive.tiering.interval", "every minute")))
                .contains("at '/archive/tiering/interval': 'every minute' does not match pattern");
    }

    @Test
    void anS3ArchiveWithoutABucketIsRefused() {
        assertThat(ChartRendering.templateFailure(Map.of("objectStorage.s3.bucket", "")))
                .contains("objectStorage.s3.bucket: required when objectStorage.kind is s3");
    }

    @Test
    void aGcsArchiveWithoutABucketIsRefused() {
        assertThat(ChartRendering.templateFailure(Map.of("objectStorage.kind", "gcs")))
                .contains("objectStorage.gcs.bucket: required when objectStorage.kind is gcs");
    }

    @Test
    void autoscalingBoundsMustBeOrdered() {
        assertThat(ChartRendering.templateFailure(Map.of("query.autoscaling.minReplicas", 9)))
                .contains("query.autoscaling: minReplicas (9) is larger than maxReplicas (8)");
    }

    @Test
    void networkPoliciesNeedToKnowWhereTheIngressControllerIs() {
        assertThat(ChartRendering.templateFailure("""
                networkPolicy:
                  ingressController:
                    namespaceSelector: {matchLabels: null}
                """))
                .contains("networkPolicy.ingressController: give a namespaceSelector or ipBlocks");
    }
}
