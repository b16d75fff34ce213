package dev.athanor.helm.render;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface;
import io.smallrye.config.ConfigMappings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The settings a service reads, taken from its {@code @ConfigMapping} interfaces and those of the
 * Athanor libraries it uses (service-auth's AuthConfig; archive-store's StoreSettings arrives
 * embedded): property name ({@code *} for a map key) → its default, when it has one. The
 * interfaces are found by their sources and read by SmallRye Config itself, so a key or default is
 * what the service really uses, never a copy.
 */
public final class MappedSettings {

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);

    private final Map<String, Optional<String>> defaults;

    private MappedSettings(Map<String, Optional<String>> defaults) {
        this.defaults = defaults;
    }

    public static MappedSettings of(String module) {
        Path root = RepoPaths.root();
        List<Path> sources = new ArrayList<>(List.of(root.resolve(module).resolve("src/main/java")));
        if (read(root.resolve(module).resolve("pom.xml")).contains("<artifactId>athanor-service-auth</artifactId>")) {
            sources.add(root.resolve("service-auth/src/main/java"));
        }
        Map<String, Optional<String>> defaults = new TreeMap<>();
        for (Class<?> mapping : mappingInterfaces(sources)) {
            ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping)).forEach((name, property) ->
                    defaults.put(name, defaultOf(property)));
        }
        if (defaults.isEmpty()) {
            throw new IllegalStateException(module + " declares no @ConfigMapping");
        }
        return new MappedSettings(defaults);
    }

    /** Property name (with {@code *} for map keys) → default. */
    public Map<String, Optional<String>> defaults() {
        return defaults;
    }

    /** The property an environment variable sets, by Quarkus' rule (upper case, non-alphanumerics to '_'), if mapped. */
    public Optional<String> propertyOf(String variable) {
        return defaults.keySet().stream().filter(p -> variablePattern(p).matcher(variable).matches()).findFirst();
    }

    public static String toVariable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static Pattern variablePattern(String property) {
        StringBuilder regex = new StringBuilder();
        for (String part : property.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append("[A-Z0-9_]+");
            }
            regex.append(Pattern.quote(toVariable(part)));
        }
        return Pattern.compile(regex.toString());
    }

    private static Optional<String> defaultOf(ConfigMappingInterface.Property property) {
        return property.hasDefaultValue() ? Optional.ofNullable(property.getDefaultValue()) : Optional.empty();
    }

    private static List<Class<?>> mappingInterfaces(List<Path> sourceRoots) {
        List<Class<?>> found = new ArrayList<>();
        for (Path sourceRoot : sourceRoots) {
            try (Stream<Path> files = Files.walk(sourceRoot)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = read(file);
                    if (!source.contains("@ConfigMapping(")) {
                        continue;
                    }
                    var pkg = PACKAGE.matcher(source);
                    String simple = file.getFileName().toString().replace(".java", "");
                    String name = (pkg.find() ? pkg.group(1) + "." : "") + simple;
                    Class<?> type = Class.forName(name, false, MappedSettings.class.getClassLoader());
                    if (type.isAnnotationPresent(ConfigMapping.class)) {
                        found.add(type);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("a @ConfigMapping source whose class is not on the test classpath: "
                        + e.getMessage(), e);
            }
        }
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
