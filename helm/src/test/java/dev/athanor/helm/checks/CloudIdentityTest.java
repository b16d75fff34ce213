package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;

/** The archive reaches the bucket with the pod's cloud identity (IRSA, GKE Workload Identity). */
class CloudIdentityTest {

    @Test
    void irsaRoleIsOnTheServiceAccountOfThePodsRunningTheArchive() {
        Manifests manifests = ChartRendering.render(ValuesSet.AWS);

        PodSpec archivePod = archivePod(manifests);
        ServiceAccount account = manifests.named(ServiceAccount.class, archivePod.getServiceAccountName());
        assertThat(account.getMetadata().getAnnotations())
                .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/athanor-archive");
        assertThat(manifests.named(StatefulSet.class, "athanor-ingest").getSpec().getTemplate().getMetadata().getAnnotations())
                .as("the web identity token goes to the archive container only")
                .containsEntry("eks.amazonaws.com/skip-containers", "ingest");
        assertThat(manifests.named(ConfigMap.class, "athanor-store").getData())
                .containsEntry("ATHANOR_ARCHIVE_STORE_KIND", "s3").containsEntry("ATHANOR_ARCHIVE_S3_BUCKET", "example-athanor-archive")
                .containsEntry("ATHANOR_ARCHIVE_S3_SSE", "kms").doesNotContainKey("ATHANOR_ARCHIVE_S3_ACCESS_KEY_ID");
        assertThat(manifests.named(ServiceAccount.class, "athanor-query").getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void workloadIdentityIsOnTheServiceAccountOfThePodsRunningTheArchive() {
        Manifests manifests = ChartRendering.render(ValuesSet.GCP);

        ServiceAccount account = manifests.named(ServiceAccount.class, archivePod(manifests).getServiceAccountName());
        assertThat(account.getMetadata().getAnnotations())
                .containsEntry("iam.gke.io/gcp-service-account", "athanor-archive@example-project.iam.gserviceaccount.com");
        assertThat(manifests.named(ConfigMap.class, "athanor-store").getData())
                .containsEntry("ATHANOR_ARCHIVE_STORE_KIND", "gcs").containsEntry("ATHANOR_ARCHIVE_GCS_BUCKET", "example-athanor-archive")
                .doesNotContainKey("ATHANOR_ARCHIVE_GCS_CREDENTIALS_FILE");
        // Workload Identity answers on the metadata address, which the egress policy must allow.
        assertThat(manifests.named(NetworkPolicy.class, "athanor-ingest").getSpec().getEgress())
                .flatExtracting(r -> r.getTo()).filteredOn(p -> p.getIpBlock() != null).extracting(p -> p.getIpBlock().getCidr())
                .contains("169.254.169.254/32");
    }

    @Test
    void withoutCloudIdentityNoAnnotationAndNoSkipMarkerAreRendered() {
        Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT);

        assertThat(manifests.named(ServiceAccount.class, "athanor-ingest").getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(manifests.named(StatefulSet.class, "athanor-ingest").getSpec().getTemplate().getMetadata().getAnnotations())
                .doesNotContainKey("eks.amazonaws.com/skip-containers");
        assertThat(manifests.all(ServiceAccount.class)).allSatisfy(a -> assertThat(a.getAutomountServiceAccountToken()).isFalse());
    }

    private static PodSpec archivePod(Manifests manifests) {
        return manifests.podSpecs().values().stream()
                .filter(spec -> spec.getContainers().stream().anyMatch(c -> c.getName().equals("archive")))
                .findFirst().orElseThrow(() -> new AssertionError("no pod runs the archive"));
    }
}
