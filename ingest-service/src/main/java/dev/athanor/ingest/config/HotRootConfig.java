package dev.athanor.ingest.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.Map;

/**
 * Ingest's settings for a raw log used without the service (tests, bench's RecoveryStartBench): a
 * hot root and a node name, defaults otherwise.
 */
public final class HotRootConfig {

    private HotRootConfig() {
    }

    public static IngestConfig of(Path hotRoot, String nodeName) {
        return new SmallRyeConfigBuilder().withMapping(IngestConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("athanor.ingest.hot-root", hotRoot.toString(),
                        "athanor.ingest.node-name", nodeName,
                        "athanor.ingest.ownership.advertised-address", "127.0.0.1:1"), "hot-root", 500))
                .build().getConfigMapping(IngestConfig.class);
    }
}
