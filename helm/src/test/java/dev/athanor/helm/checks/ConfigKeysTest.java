package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.MappedSettings;
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
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every Athanor setting the chart gives a service is one that service reads: a setting of its
 * @ConfigMapping interfaces, a key of its application.properties or a @ConfigProperty in its code.
 * A renamed setting would otherwise be ignored silently and the service would run on its default.
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

        MODULE_OF_COMPONENT_MAP.forEach((configMap, module) ->
                assertThat(unknown(manifests.named(ConfigMap.class, configMap).getData().keySet(), knownVariables(module)))
                        .as("ConfigMap %s sets variables %s does not read", configMap, module).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void everyAthanorVariableInAContainerIsOneItsServiceReads(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);

        MODULE_OF_CONTAINER.forEach((name, module) -> {
            Container container = manifests.containers().get(name);
            Set<String> set = new HashSet<>();
            container.getEnv().forEach(e -> set.add(e.getName()));
            assertThat(unknown(set, knownVariables(module))).as("%s sets variables its service does not read", name)
                    .isEmpty();
        });
    }

    @Test
    void everySharedAthanorSettingIsReadBySomeService() {
        Predicate<String> known = v -> false;
        for (String module : new TreeSet<>(MODULE_OF_CONTAINER.values())) {
            known = known.or(knownVariables(module));
        }

        Set<String> shared = ChartRendering.render(ValuesSet.DEFAULT).named(ConfigMap.class, "athanor-common").getData().keySet();
        assertThat(unknown(shared, known)).as("athanor-common sets variables no service reads").isEmpty();
    }

    private static Set<String> athanorKeys(Set<String> keys) {
        return new TreeSet<>(keys.stream().filter(k -> k.startsWith("ATHANOR_")).toList());
    }

    /**
     * The environment variables a module reads, by Quarkus' rule (upper case, non-alphanumerics to
     * '_'): the settings of its @ConfigMapping interfaces (a map key matches any name), keys of its
     * application.properties and its remaining @ConfigProperty injections (Quarkus' own keys).
     */
    static Predicate<String> knownVariables(String module) {
        Path root = RepoPaths.root().resolve(module);
        Set<String> known = new HashSet<>();
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(root.resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.stringPropertyNames().forEach(k -> known.add(toVariable(k.replaceFirst("^%[^.]+\\.", ""))));
        try (Stream<Path> sources = Files.walk(root.resolve("src/main/java"))) {
            Pattern injected = Pattern.compile("@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\"");
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = injected.matcher(Files.readString(source));
                while (m.find()) {
                    known.add(toVariable(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MappedSettings mapped = MappedSettings.of(module);
        return variable -> known.contains(variable) || mapped.propertyOf(variable).isPresent();
    }

    private static Set<String> unknown(Set<String> variables, Predicate<String> known) {
        return new TreeSet<>(athanorKeys(variables).stream().filter(known.negate()).toList());
    }

    private static String toVariable(String property) {
        return MappedSettings.toVariable(property);
    }
}
