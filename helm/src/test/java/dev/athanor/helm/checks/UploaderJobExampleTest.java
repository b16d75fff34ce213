package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.RepoPaths;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented training Job (helm/examples/uploader-job.yaml) fits the chart it talks to. */
class UploaderJobExampleTest {

    private static Job job() throws IOException {
        Manifests manifests = Manifests.parse(Files.readString(RepoPaths.root().resolve("helm/examples/uploader-job.yaml")));
        return manifests.all(Job.class).getFirst();
    }

    private static Container uploader(Job job) {
        return job.getSpec().getTemplate().getSpec().getInitContainers().stream()
                .filter(c -> c.getName().equals("athanor-uploader")).findFirst().orElseThrow();
    }

    private static String arg(Container c, String name) {
        return c.getArgs().stream().filter(a -> a.startsWith(name + "=")).map(a -> a.substring(name.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + c.getArgs()));
    }

    @Test
    void theUploaderIsANativeSidecarStreamingToTheChartsIngestService() throws IOException {
        Container uploader = uploader(job());
        Service ingest = ChartRendering.render(ValuesSet.DEFAULT).named(Service.class, "athanor-ingest");
        ServicePort grpc = ingest.getSpec().getPorts().stream().filter(p -> p.getName().equals("grpc")).findFirst().orElseThrow();

        assertThat(uploader.getRestartPolicy()).isEqualTo("Always");
        assertThat(arg(uploader, "--endpoint")).isEqualTo(
                ingest.getMetadata().getName() + "." + ChartRendering.NAMESPACE + ".svc:" + grpc.getPort());
    }

    @Test
    void theUploaderImageIsTheOneTheBuildMakes() throws Exception {
        assertThat(uploader(job()).getImage()).isEqualTo(ImagesMatchBuildTest.builtImages().get("uploader"));
    }

    @Test
    void theUploaderSignsInAsItsProjectsClientOfTheChartsRealm() throws IOException {
        Container uploader = uploader(job());
        var common = ChartRendering.render(ValuesSet.DEFAULT).named(io.fabric8.kubernetes.api.model.ConfigMap.class, "athanor-common");

        assertThat(arg(uploader, "--issuer")).isEqualTo(common.getData().get("QUARKUS_OIDC_AUTH_SERVER_URL"));
        assertThat(arg(uploader, "--client-id")).isEqualTo("uploader-" + arg(uploader, "--project"));
    }

    @Test
    void theClientSecretIsAMountedSecretFileNeverAValue() throws IOException {
        Job job = job();
        Container uploader = uploader(job);
        String tokenFile = arg(uploader, "--client-secret-file");

        var mount = uploader.getVolumeMounts().stream().filter(m -> tokenFile.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
        assertThat(mount.getReadOnly()).isTrue();
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getName().equals(mount.getName()))
                .singleElement().satisfies(v -> assertThat(v.getSecret().getSecretName()).isNotBlank());
        assertThat(uploader.getEnv()).isEmpty();
    }

    @Test
    void thePodOutlivesTheUploadersDrainAndTrainingLeavesTheStopMarker() throws IOException {
        Job job = job();
        Container uploader = uploader(job);
        Duration grace = Duration.parse(arg(uploader, "--grace-period"));

        assertThat(job.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isGreaterThan(grace.toSeconds());
        Container train = job.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(String.join("\n", train.getArgs())).contains("> /logs/.athanor-stop");
        assertThat(arg(uploader, "--logdir")).isEqualTo("/logs");
        assertThat(List.of(uploader, train)).allSatisfy(c -> assertThat(c.getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getName() + ":" + m.getMountPath()).isEqualTo("logs:/logs")));
    }

    @Test
    void theUploaderRunsLockedDownAndSized() throws IOException {
        Container uploader = uploader(job());

        assertThat(uploader.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(uploader.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(uploader.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(uploader.getResources().getLimits()).containsKey("memory");
    }
}
