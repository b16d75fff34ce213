package dev.athanor.helm.render;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders helm/athanor with Helm itself (helm-java: the Helm Go library compiled into a native
 * library, so no helm binary and no cluster), as release "athanor" in namespace "athanor".
 */
public final class ChartRendering {

    public static final String RELEASE = "athanor";
    public static final String NAMESPACE = "athanor";
    /** Helm's client-only default is 1.20; the chart needs 1.25+ (Chart.yaml kubeVersion). */
    public static final String KUBE_VERSION = "1.31.0";

    private ChartRendering() {
    }

    public static LintResult lint() {
        return new Helm(RepoPaths.chart()).lint().strict().call();
    }

    public static Manifests render(ValuesSet values) {
        return render(values, Map.of());
    }

    /** Renders with a values set and --set overrides (applied after the file, as helm does). */
    public static Manifests render(ValuesSet values, Map<String, Object> overrides) {
        return Manifests.parse(template(values, overrides));
    }

    public static String template(ValuesSet values, Map<String, Object> overrides) {
        TemplateCommand template = new Helm(RepoPaths.chart()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        values.file().ifPresent(template::withValuesFile);
        new LinkedHashMap<>(overrides).forEach(template::set);
        return template.call();
    }

    /**
     * The message Helm fails with when the given overrides are applied to the defaults; fails the
     * caller's test when Helm renders them without complaint.
     */
    public static String templateFailure(Map<String, Object> overrides) {
        try {
            String rendered = template(ValuesSet.DEFAULT, overrides);
            throw new AssertionError("helm template accepted " + overrides + "; rendered " + rendered.length() + " characters");
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** Like {@link #templateFailure(Map)} with values given as YAML (for maps and nulls, which --set cannot express). */
    public static String templateFailure(String valuesYaml) {
        Path file;
        try {
            file = Files.createTempFile("athanor-values-", ".yaml");
            Files.writeString(file, valuesYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            TemplateCommand template = new Helm(RepoPaths.chart()).template().withName(RELEASE).withNamespace(NAMESPACE)
                    .withKubeVersion(KUBE_VERSION).withValuesFile(file);
            String rendered = template.call();
            throw new AssertionError("helm template accepted\n" + valuesYaml + "rendered " + rendered.length() + " characters");
        } catch (IllegalStateException e) {
            return e.getMessage();
        } finally {
            file.toFile().delete();
        }
    }

    /** The message of a client-only `helm install --dry-run` refused with the given overrides. */
    public static String installFailure(Map<String, Object> overrides) {
        var install = new Helm(RepoPaths.chart()).install().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION).clientOnly().dryRun();
        new LinkedHashMap<>(overrides).forEach(install::set);
        try {
            install.call();
            throw new AssertionError("helm install --dry-run accepted " + overrides);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }
}
