package dev.athanor.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where each ingest replica of {@code athanor up --ingest-replicas N} lives and listens. */
class LocalSuiteSettingsTest {

    private static final Path HOME = Path.of("/data/athanor");

    private static LocalSuite.Settings settings(int replicas) {
        return new LocalSuite.Settings(HOME, Path.of("/repo"), Path.of("/jdk"), 54329, 8080, 9190, 8081, 9090,
                Duration.ofMinutes(1), Map.of(), replicas);
    }

    @Test
    void oneReplicaIsTheSuiteAsBefore() {
        LocalSuite.Settings one = new LocalSuite.Settings(HOME, Path.of("/repo"), Path.of("/jdk"), 54329, 8080, 9190, 8081, 9090,
                Duration.ofMinutes(1));

        assertThat(one.ingestReplicas()).isEqualTo(1);
        assertThat(one.ingestHotRoot(0)).isEqualTo(HOME.resolve("hot")).isEqualTo(one.hotRoot());
        assertThat(one.ingestNodeName(0)).as("the service's default, the host name").isEmpty();
        assertThat(one.grpcPort(0)).isEqualTo(9090);
        assertThat(one.portClash()).isNull();
    }

    @Test
    void replicaIGetsItsOwnPortsHotRootAndNodeName() {
        LocalSuite.Settings three = settings(3);

        assertThat(three.grpcPort(2)).isEqualTo(9092);
        assertThat(three.ingestHttpPort(2)).isEqualTo(8083);
        assertThat(three.ingestHotRoot(0)).isEqualTo(HOME.resolve("hot"));
        assertThat(three.ingestHotRoot(1)).isEqualTo(HOME.resolve("hot-replicas/ingest-1"));
        assertThat(three.ingestHotRoot(2)).isEqualTo(HOME.resolve("hot-replicas/ingest-2"));
        assertThat(three.ingestNodeName(2)).contains("ingest-2");
        assertThat(three.withAuth("https://kc/realms/a").ingestReplicas()).isEqualTo(3);
        assertThatThrownBy(() -> three.grpcPort(3)).hasMessage("no ingest replica 3 (the suite runs 3)");
    }

    @Test
    void portsThatCollideAreNamed() {
        LocalSuite.Settings clash = new LocalSuite.Settings(HOME, Path.of("/repo"), Path.of("/jdk"), 54329, 8080, 9190, 8079, 9090,
                Duration.ofMinutes(1), Map.of(), 2);

        assertThat(clash.portClash()).isEqualTo("ingest replica 1 HTTP and query-service would both use port 8080");
        assertThat(settings(2).portClash()).isNull();
        LocalSuite.Settings onGrpc = new LocalSuite.Settings(HOME, Path.of("/repo"), Path.of("/jdk"), 54329, 8080, 9091,
                8081, 9090, Duration.ofMinutes(1), Map.of(), 2);
        assertThat(onGrpc.portClash()).isEqualTo("ingest replica 1 gRPC and query-service data provider would both use "
                + "port 9091");
    }

    @Test
    void anArchiveServiceRunsBesideEachReplicaOnItsHotRootAndNode() {
        LocalSuite.Settings one = settings(1).withArchive(8183);
        assertThat(one.archiveHttpPort(0)).isEqualTo(8183);
        assertThat(one.archiveNode(0)).as("a single replica's archive serves every node").isEmpty();
        assertThat(one.archiveRoot()).isEqualTo(HOME.resolve("archive"));
        assertThat(one.ports()).contains(Map.entry(8183, "archive-service 0 HTTP"));

        LocalSuite.Settings three = settings(3).withArchive(8183);
        assertThat(three.archiveHttpPort(2)).isEqualTo(8185);
        assertThat(three.archiveNode(2)).contains("ingest-2");
        assertThat(three.archiveNode(0)).as("replica 0 writes under the host name")
                .contains(dev.athanor.rawlog.SegmentNames.defaultNode());
        assertThat(three.portClash()).isNull();
        assertThat(settings(3).withArchive(8082).portClash())
                .isEqualTo("archive-service 0 HTTP and ingest replica 1 HTTP would both use port 8082");
        assertThat(settings(1).archive()).isFalse();
        assertThat(settings(1).ports()).noneMatch(p -> p.getValue().startsWith("archive"));
    }

    @Test
    void theReplicaCountIsBounded() {
        assertThatThrownBy(() -> settings(0)).hasMessage("the number of ingest replicas must be 1-16, got 0");
        assertThatThrownBy(() -> settings(17)).hasMessageContaining("got 17");
    }

    @Test
    void queryAndIngestSettingsStayApartAndSurviveTheOtherChanges() {
        LocalSuite.Settings s = settings(2)
                .withQueryEnvironment(Map.of("QUARKUS_HTTP_ACCESS_LOG_ENABLED", "true"))
                .withIngestEnvironment(Map.of("ATHANOR_INGEST_SEGMENT_MAX_BYTES", "1048576"))
                .withAuth("https://kc/realms/a").withArchive(8183).withIngestReplicas(3)
                .withEnvironment(Map.of("QUARKUS_LOG_LEVEL", "WARN"));

        assertThat(s.queryEnvironment()).containsExactly(Map.entry("QUARKUS_HTTP_ACCESS_LOG_ENABLED", "true"));
        assertThat(s.ingestEnvironment()).containsExactly(Map.entry("ATHANOR_INGEST_SEGMENT_MAX_BYTES", "1048576"));
        assertThat(s.serviceEnvironment()).containsEntry("QUARKUS_LOG_LEVEL", "WARN")
                .containsEntry("ATHANOR_AUTH_ENABLED", "true")
                .doesNotContainKeys("QUARKUS_HTTP_ACCESS_LOG_ENABLED", "ATHANOR_INGEST_SEGMENT_MAX_BYTES");
        assertThat(s.ingestReplicas()).isEqualTo(3);
        assertThat(s.archive()).isTrue();
    }
}
