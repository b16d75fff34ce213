package dev.athanor.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting a packaged service: what is said when it cannot start, and where its output goes. */
class ServiceProcessTest {

    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    @TempDir
    Path dir;

    @Test
    void aMissingJarNamesTheModuleToBuild() {
        Path jar = dir.resolve("query-service/target/quarkus-app/quarkus-run.jar");
        assertThatThrownBy(() -> ServiceProcess.start("query-service", JAVA_HOME, jar, 8080, Map.of(), dir.resolve("logs")))
                .isInstanceOf(IOException.class)
                .hasMessage("query-service: " + jar + " does not exist; build it with ./mvnw -pl query-service -am package"
                        + " -DskipTests");
    }

    @Test
    void aServiceThatExitsWhileStartingIsReportedWithItsExitCodeAndLog() throws Exception {
        Path notAJar = Files.writeString(dir.resolve("quarkus-run.jar"), "not a jar");
        ServiceProcess service = ServiceProcess.start("broken", JAVA_HOME, notAJar, Ports.free(), Map.of(),
                dir.resolve("logs"), ServiceProcess.Jvm.DEFAULT.withMaxHeap("64m"));
        try {
            assertThatThrownBy(() -> service.awaitReady(Duration.ofMinutes(1)))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("broken exited with code 1 while starting; see " + dir.resolve("logs/broken.log"));
            assertThat(service.log()).isEqualTo(dir.resolve("logs/broken.log"));
            assertThat(Files.readString(service.log())).as("java's own complaint is in the log").contains("quarkus-run.jar");
            assertThat(service.isAlive()).isFalse();
        } finally {
            service.close();
        }
    }

    @Test
    void theLauncherRunsFirstWithJavaAsItsCommand() throws Exception {
        Path notAJar = Files.writeString(dir.resolve("quarkus-run.jar"), "not a jar");
        // `env` runs java with one more variable; java still says the jar is unreadable, so it ran.
        ServiceProcess service = ServiceProcess.start("launched", JAVA_HOME, notAJar, Ports.free(), Map.of(),
                dir.resolve("logs"), List.of("env", "ATHANOR_LAUNCHED=1"));
        try {
            assertThatThrownBy(() -> service.awaitReady(Duration.ofMinutes(1))).hasMessageContaining("exited with code 1");
            assertThat(Files.readString(service.log())).contains("quarkus-run.jar");
        } finally {
            service.close();
        }
    }

    @Test
    void aMaximumHeapMustBeASize() {
        assertThatThrownBy(() -> ServiceProcess.Jvm.DEFAULT.withMaxHeap("lots"))
                .hasMessage("a maximum heap is a size such as 512m or 1g, got 'lots'");
        assertThat(ServiceProcess.Jvm.DEFAULT.withMaxHeap("512m").maxHeap()).isEqualTo("512m");
    }
}
