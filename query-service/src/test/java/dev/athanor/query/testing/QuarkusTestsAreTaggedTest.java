package dev.athanor.query.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.RepoRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Surefire picks a test's JVM by the {@code quarkus} tag (see the pom): a {@code @QuarkusTest}
 * without it would run among the plain tests and hit the protobuf loader clash there.
 */
class QuarkusTestsAreTaggedTest {

    @Test
    void everyQuarkusTestCarriesTheQuarkusTag() throws IOException {
        Path tests = RepoRoot.path().resolve("query-service/src/test/java");
        List<String> untagged;
        try (Stream<Path> files = Files.walk(tests)) {
            untagged = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> {
                        String source = read(f);
                        return source.contains("\n@QuarkusTest\n") && !source.contains("\n@Tag(\"quarkus\")\n");
                    })
                    .map(f -> tests.relativize(f).toString()).toList();
        }
        assertThat(untagged).as("@QuarkusTest classes without @Tag(\"quarkus\")").isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
