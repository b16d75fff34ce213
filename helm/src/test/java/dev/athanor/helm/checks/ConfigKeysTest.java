package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.RepoPaths;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every Athanor setting the chart gives a service is one that service reads: a key of its
 * application.properties, a @ConfigProperty in its code, or a variable its README documents. A
 * renamed setting would otherwise be ignored silently and the service would run on its default.
 */
class ConfigKeysTest {

    private static final Map<String, String> MODULE_OF_COMPONENT_MAP = Map.of(
            "athanor-ingest", "ingest-service", "athanor-archive", "archive-service", "athanor-store", "archive-service",
            "athanor-query", "query-service");
    private static final Map<String, String> MODULE_OF_CONTAINER = Map.of(
            "StatefulSet/athanor-ingest/ingest", "ingest-service",
            "StatefulSet/athanor-ingest/archive", "archive-service",
            "Deployment/athanor-query/query", "query-service");

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void everyAthanorSettingInAServicesConfigMapIsOneItReads(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);

        MODULE_OF_COMPONENT_MAP.forEach((configMap, module) -> {
            Set<String> known = knownVariables(module);
            assertThat(athanorKeys(manifests.named(ConfigMap.class, configMap).getData().keySet()))
                    .as("ConfigMap %s sets variables %s does not read", configMap, module).isSubsetOf(known);
        });
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void everyAthanorVariableInAContainerIsOneItsServiceReads(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);

        MODULE_OF_CONTAINER.forEach((name, module) -> {
            Container container = manifests.containers().get(name);
            Set<String> set = new HashSet<>();
            container.getEnv().forEach(e -> set.add(e.getName()));
            assertThat(athanorKeys(set)).as("%s", name).isSubsetOf(knownVariables(module));
        });
    }

    @Test
    void everySharedAthanorSettingIsReadBySomeService() {
        Set<String> known = new HashSet<>();
        MODULE_OF_CONTAINER.values().forEach(m -> known.addAll(knownVariables(m)));

        Set<String> shared = ChartRendering.render(ValuesSet.DEFAULT).named(ConfigMap.class, "athanor-common").getData().keySet();
        assertThat(athanorKeys(shared)).isSubsetOf(known);
    }

    private static Set<String> athanorKeys(Set<String> keys) {
        return new TreeSet<>(keys.stream().filter(k -> k.startsWith("ATHANOR_")).toList());
    }

    /** The environment variables a module reads, by Quarkus' rule: upper case, non-alphanumerics to '_'. */
    static Set<String> knownVariables(String module) {
        Path root = RepoPaths.root().resolve(module);
        Set<String> known = new HashSet<>();
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(root.resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.stringPropertyNames().forEach(k -> known.add(toVariable(k.replaceFirst("^%[^.]+\\.", ""))));
        try {
            // READMEs write pairs as `ATHANOR_X_WARM_CLASS` / `_COLD_CLASS`: the suffix replaces as many
            // trailing words of the variable before it.
            Matcher documented = Pattern.compile("`(ATHANOR_[A-Z0-9_]+)`(?:\\s*/\\s*`(_[A-Z0-9_]+)`)?")
                    .matcher(Files.readString(root.resolve("README.md")));
            while (documented.find()) {
                String variable = documented.group(1);
                known.add(variable);
                if (documented.group(2) != null) {
                    String suffix = documented.group(2);
                    String[] words = variable.split("_");
                    int keep = words.length - (suffix.split("_").length - 1);
                    known.add(String.join("_", java.util.Arrays.copyOf(words, keep)) + suffix);
                }
            }
            try (Stream<Path> sources = Files.walk(root.resolve("src/main/java"))) {
                Pattern injected = Pattern.compile("@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\"");
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = injected.matcher(Files.readString(source));
                    while (m.find()) {
                        known.add(toVariable(m.group(1)));
                    }
                }
            }
            // A module using the shared archive-store library reads the store with archive-service's keys.
            if (!module.equals("archive-service")
                    && Files.readString(root.resolve("pom.xml")).contains("<artifactId>athanor-archive-store</artifactId>")) {
                knownVariables("archive-service").stream()
                        .filter(v -> v.matches("ATHANOR_ARCHIVE_(STORE|S3|GCS|FILESYSTEM)_.*")).forEach(known::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return known;
    }

    private static String toVariable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
