package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.RepoPaths;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The archive's integrity alerts: rendered only when asked for, and every metric an alert reads is
 * one archive-service exposes (its README lists them), so a renamed meter cannot silence an alert.
 */
class PrometheusRuleTest {

    private static final Pattern METRIC = Pattern.compile("athanor_[a-z_]+");

    @Test
    void offByDefaultAndWithoutTheArchive() {
        assertThat(ChartRendering.render(ValuesSet.DEFAULT).ofKind("monitoring.coreos.com/v1", "PrometheusRule")).isEmpty();
        assertThat(ChartRendering.render(ValuesSet.DEFAULT, Map.of("prometheusRule.enabled", true, "archive.enabled", false))
                .ofKind("monitoring.coreos.com/v1", "PrometheusRule")).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theAlertsReadMetricsArchiveServiceExposesInTheReleaseNamespace() throws Exception {
        Manifests manifests = ChartRendering.render(ValuesSet.AWS);
        GenericKubernetesResource rule = manifests.ofKind("monitoring.coreos.com/v1", "PrometheusRule").getFirst();
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        Map<String, Object> spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((List<Map<String, Object>>) spec.get("groups"))
                .getFirst().get("rules");
        assertThat(rules).extracting(r -> r.get("alert"))
                .containsExactly("AthanorArchiveDamage", "AthanorArchiveScrubStalled");
        String documented = Files.readString(RepoPaths.root().resolve("archive-service/README.md"));
        for (Map<String, Object> r : rules) {
            String expr = (String) r.get("expr");
            assertThat(expr).contains("namespace=\"" + ChartRendering.NAMESPACE + "\"");
            Matcher m = METRIC.matcher(expr);
            assertThat(m.find()).as(expr).isTrue();
            do {
                assertThat(documented).as("archive-service/README.md lists %s", m.group()).contains("`" + m.group() + "`");
            } while (m.find());
        }
        assertThat((String) rules.get(1).get("expr")).endsWith("> 7200");
    }
}
