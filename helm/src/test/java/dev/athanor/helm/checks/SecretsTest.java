package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Credentials reach the pods only from Secrets named in values; the chart never writes one. */
class SecretsTest {

    /** Names of settings that carry credentials (passwords, keys, tokens, client secrets). */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|secret_access_key|access_key_id|_token|credentials)$");

    /** The containers that use the bucket: the archive writes it, ingest and query read archived segments. */
    private static final List<String> BUCKET_USERS = List.of("StatefulSet/athanor-ingest/archive",
            "StatefulSet/athanor-ingest/ingest", "Deployment/athanor-query/query");

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void theChartCreatesNoSecret(ValuesSet values) {
        assertThat(ChartRendering.render(values).all(Secret.class)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void credentialEnvironmentVariablesComeFromSecretKeyRefs(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);

        manifests.containers().forEach((name, container) -> {
            for (EnvVar env : container.getEnv()) {
                if (SECRET_NAME.matcher(env.getName()).matches()) {
                    assertThat(env.getValue()).as("%s %s has a literal value", name, env.getName()).isNull();
                    assertThat(env.getValueFrom().getSecretKeyRef()).as("%s %s", name, env.getName()).isNotNull();
                }
            }
        });
        for (ConfigMap map : manifests.all(ConfigMap.class)) {
            assertThat(map.getData().keySet()).as("ConfigMap %s", map.getMetadata().getName())
                    .noneMatch(key -> SECRET_NAME.matcher(key).matches() );
        }
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void everySecretThePodsUseIsOneTheValuesName(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);
        Set<String> referenced = new HashSet<>();
        manifests.podSpecs().values().forEach(spec -> {
            spec.getVolumes().stream().filter(v -> v.getSecret() != null).forEach(v -> referenced.add(v.getSecret().getSecretName()));
            spec.getImagePullSecrets().forEach(s -> referenced.add(s.getName()));
            for (Container c : spec.getContainers()) {
                c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                        .forEach(e -> referenced.add(e.getValueFrom().getSecretKeyRef().getName()));
            }
        });

        Set<String> expected = new HashSet<>(Set.of(switch (values) {
            case DEFAULT -> "athanor-postgresql";
            case AWS -> "athanor-rds";
            case GCP -> "athanor-cloudsql";
            case LOCAL -> "athanor-postgresql";
        }));
        if (values == ValuesSet.LOCAL) {
            expected.add("athanor-minio");
        }
        assertThat(referenced).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void theDatabasePasswordIsReadFromTheNamedSecret(ValuesSet values) {
        Container ingest = ChartRendering.render(values).containers().get("StatefulSet/athanor-ingest/ingest");

        EnvVar password = ingest.getEnv().stream().filter(e -> e.getName().equals("QUARKUS_DATASOURCE_PASSWORD")).findFirst().orElseThrow();
        assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    }

    @ParameterizedTest
    @EnumSource(value = ValuesSet.class, names = "DEFAULT")
    void staticS3KeysAndAGcsKeyFileComeFromTheirSecrets(ValuesSet values) {
        Manifests s3 = ChartRendering.render(values, Map.of("objectStorage.s3.existingSecret", "bucket-keys"));
        for (String name : BUCKET_USERS) {
            assertThat(s3.containers().get(name).getEnv()).as(name).filteredOn(e -> e.getName().startsWith("ATHANOR_ARCHIVE_S3_"))
                    .extracting(e -> e.getName() + "<-" + e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey())
                    .containsExactlyInAnyOrder("ATHANOR_ARCHIVE_S3_ACCESS_KEY_ID<-bucket-keys/access-key-id",
                            "ATHANOR_ARCHIVE_S3_SECRET_ACCESS_KEY<-bucket-keys/secret-access-key");
        }

        Manifests gcs = ChartRendering.render(values, Map.of("objectStorage.kind", "gcs", "objectStorage.gcs.bucket", "b-1",
                "objectStorage.gcs.existingSecret", "gcs-key"));
        for (String workload : List.of("StatefulSet/athanor-ingest", "Deployment/athanor-query")) {
            assertThat(gcs.podSpecs().get(workload).getVolumes()).as(workload).filteredOn(v -> v.getSecret() != null)
                    .extracting(v -> v.getSecret().getSecretName()).containsExactly("gcs-key");
        }
        assertThat(gcs.named(ConfigMap.class, "athanor-store").getData())
                .containsEntry("ATHANOR_ARCHIVE_GCS_CREDENTIALS_FILE", "/var/run/secrets/athanor/gcs/credentials.json");
        for (String name : BUCKET_USERS) {
            assertThat(gcs.containers().get(name).getVolumeMounts()).as(name)
                    .anySatisfy(m -> assertThat(m.getName() + ":" + m.getMountPath() + ":" + m.getReadOnly())
                            .isEqualTo("gcs-credentials:/var/run/secrets/athanor/gcs:true"));
        }
        assertThat(gcs.containers().get("Deployment/athanor-web-ui/web-ui").getVolumeMounts())
                .noneMatch(m -> m.getName().equals("gcs-credentials"));
    }
}
