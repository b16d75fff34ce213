package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.MappedSettings;
import dev.athanor.helm.render.RepoPaths;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A service README's settings tables against what the service reads: every variable a row names is
 * a setting of the service, and a literal default a row gives is the one the service uses (its
 * application.properties value, else its @ConfigMapping default). The defaults are written in the
 * code; the README may only repeat them correctly.
 */
class ReadmeSettingsTest {

    /** A table row naming one variable, then its default: {@code | `ATHANOR_X` | `16M` | …} (a key column may come first). */
    private static final Pattern ROW = Pattern.compile(
            "^\\|(?:\\s*`[a-z][a-z0-9.*-]*`\\s*\\|)?\\s*`(ATHANOR_[A-Z0-9_]+)`\\s*\\|\\s*([^|]*?)\\s*\\|");
    private static final Pattern VARIABLE = Pattern.compile("`(ATHANOR_[A-Z0-9_]*[A-Z0-9])`");
    /** A literal default: one word, maybe in backticks; prose ("host name", "– (all)") is not compared. */
    private static final Pattern LITERAL = Pattern.compile("`?([^`\\s–]+)`?");

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "archive-service", "query-service"})
    void everyVariableInTheSettingsTablesIsOneTheServiceReads(String module) throws IOException {
        Predicate<String> known = ConfigKeysTest.knownVariables(module);
        List<String> unknown = new ArrayList<>();
        for (String row : tableRows(module)) {
            Matcher m = VARIABLE.matcher(row);
            while (m.find()) {
                if (!known.test(m.group(1))) {
                    unknown.add(m.group(1));
                }
            }
        }
        assertThat(unknown).as("%s/README.md documents variables the service does not read", module).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "archive-service", "query-service"})
    void everyDefaultInTheSettingsTablesIsTheOneTheServiceUses(String module) throws IOException {
        MappedSettings mapped = MappedSettings.of(module);
        Properties properties = applicationProperties(module);
        List<String> wrong = new ArrayList<>();
        int compared = 0;
        for (String row : tableRows(module)) {
            Matcher m = ROW.matcher(row);
            Matcher literal = m.find() ? LITERAL.matcher(m.group(2)) : null;
            if (literal == null || !literal.matches()) {
                continue;
            }
            String variable = m.group(1);
            Optional<String> used = usedDefault(variable, mapped, properties);
            if (used.isPresent()) {
                compared++;
                if (!used.get().equals(literal.group(1))) {
                    wrong.add(variable + ": README says " + literal.group(1) + ", the service uses " + used.get());
                }
            }
        }
        assertThat(wrong).as("%s/README.md", module).isEmpty();
        assertThat(compared).as("defaults compared in %s/README.md", module).isPositive();
    }

    /** application.properties first (it overrides a mapping's default), then the mapping's. */
    private static Optional<String> usedDefault(String variable, MappedSettings mapped, Properties properties) {
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("%") && MappedSettings.toVariable(key).equals(variable)) {
                return Optional.of(properties.getProperty(key));
            }
        }
        return mapped.propertyOf(variable).flatMap(p -> mapped.defaults().get(p));
    }

    private static List<String> tableRows(String module) throws IOException {
        return Files.readAllLines(RepoPaths.root().resolve(module).resolve("README.md")).stream()
                .filter(l -> l.startsWith("|") && l.contains("`ATHANOR_")).toList();
    }

    private static Properties applicationProperties(String module) throws IOException {
        Properties properties = new Properties();
        Path file = RepoPaths.root().resolve(module).resolve("src/main/resources/application.properties");
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }
}
