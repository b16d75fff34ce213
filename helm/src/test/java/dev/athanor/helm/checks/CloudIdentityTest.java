package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every pod that uses the bucket reaches it with its cloud identity (IRSA, GKE Workload Identity). */
class CloudIdentityTest {

    @Test
    void irsaRoleIsOnTheServiceAccountsOfEveryPodThatUsesTheBucket() {
        Manifests manifests = ChartRendering.render(ValuesSet.AWS);

        for (PodSpec pod : podsUsingTheBucket(manifests)) {
            assertThat(manifests.named(ServiceAccount.class, pod.getServiceAccountName()).getMetadata().getAnnotations())
                    .as(pod.getServiceAccountName())
                    .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/athanor-archive");
        }
        assertThat(manifests.named(ConfigMap.class, "athanor-store").getData())
                .containsEntry("ATHANOR_ARCHIVE_STORE_KIND", "s3").containsEntry("ATHANOR_ARCHIVE_S3_BUCKET", "example-athanor-archive")
                .containsEntry("ATHANOR_ARCHIVE_S3_SSE", "kms").doesNotContainKey("ATHANOR_ARCHIVE_S3_ACCESS_KEY_ID");
        assertThat(manifests.named(ServiceAccount.class, "athanor-web-ui").getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void workloadIdentityIsOnTheServiceAccountsOfEveryPodThatUsesTheBucket() {
        Manifests manifests = ChartRendering.render(ValuesSet.GCP);

        for (PodSpec pod : podsUsingTheBucket(manifests)) {
            assertThat(manifests.named(ServiceAccount.class, pod.getServiceAccountName()).getMetadata().getAnnotations())
                    .as(pod.getServiceAccountName())
                    .containsEntry("iam.gke.io/gcp-service-account", "athanor-archive@example-project.iam.gserviceaccount.com");
        }
        assertThat(manifests.named(ConfigMap.class, "athanor-store").getData())
                .containsEntry("ATHANOR_ARCHIVE_STORE_KIND", "gcs").containsEntry("ATHANOR_ARCHIVE_GCS_BUCKET", "example-athanor-archive")
                .doesNotContainKey("ATHANOR_ARCHIVE_GCS_CREDENTIALS_FILE");
        // Workload Identity answers on the metadata address, which the egress policies must allow.
        for (String policy : List.of("athanor-ingest", "athanor-query")) {
            assertThat(manifests.named(NetworkPolicy.class, policy).getSpec().getEgress())
                    .flatExtracting(r -> r.getTo()).filteredOn(p -> p.getIpBlock() != null).extracting(p -> p.getIpBlock().getCidr())
                    .contains("169.254.169.254/32");
        }
    }

    @Test
    void withoutCloudIdentityNoAnnotationIsRendered() {
        Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT);

        assertThat(manifests.all(ServiceAccount.class)).allSatisfy(a -> {
            assertThat(a.getMetadata().getAnnotations()).isNullOrEmpty();
            assertThat(a.getAutomountServiceAccountToken()).isFalse();
        });
    }

    /** The archive writes the bucket; ingest (reindex) and query (blobs) read archived segments. */
    private static List<PodSpec> podsUsingTheBucket(Manifests manifests) {
        List<PodSpec> pods = manifests.podSpecs().values().stream()
                .filter(spec -> spec.getContainers().stream().anyMatch(c -> c.getEnvFrom().stream()
                        .anyMatch(f -> f.getConfigMapRef().getName().equals("athanor-store"))))
                .toList();
        assertThat(pods).extracting(PodSpec::getServiceAccountName).containsExactlyInAnyOrder("athanor-ingest", "athanor-query");
        return pods;
    }
}
