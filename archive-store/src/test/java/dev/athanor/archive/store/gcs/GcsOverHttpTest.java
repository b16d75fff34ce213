package dev.athanor.archive.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.ObjectStore;
import dev.athanor.archive.store.StoreException;
import dev.athanor.archive.store.config.StoreConfig;
import dev.athanor.archive.store.config.StoreSettings;
import dev.athanor.archive.store.testing.GcsJsonApiReads;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The GCS client as a service opens it ({@code athanor.archive.store.kind=gcs}) reads over real
 * HTTP: metadata, a whole object, a range, a missing object. Public so that every service that reads
 * the archive runs it on its own classpath (its own resolved versions, the client's gRPC transport
 * left out).
 */
public class GcsOverHttpTest {

    @Test
    public void theConfiguredClientReadsObjectsOverHttp() throws Exception {
        byte[] content = new byte[70_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31 + 7);
        }
        try (GcsJsonApiReads api = GcsJsonApiReads.start()) {
            api.put("athanor-http", "athanor/p/e/r/events.out.tfevents.1.seg", content);
            Map<String, String> settings = Map.of("athanor.archive.store.kind", "gcs",
                    "athanor.archive.gcs.bucket", "athanor-http", "athanor.archive.gcs.host", api.host(),
                    "athanor.archive.gcs.project-id", "athanor-test");
            try (ObjectStore store = StoreConfig.from(StoreSettings.fromProperties(settings)).open()) {
                ObjectInfo info = store.head("athanor/p/e/r/events.out.tfevents.1.seg").orElseThrow();
                assertThat(info.size()).isEqualTo(content.length);
                assertThat(info.crc32c()).hasValue(Crc32c.of(content).crc32c());
                try (InputStream in = store.get("athanor/p/e/r/events.out.tfevents.1.seg")) {
                    assertThat(in.readAllBytes()).isEqualTo(content);
                }
                try (InputStream in = store.getRange("athanor/p/e/r/events.out.tfevents.1.seg", 65_000, 1_000)) {
                    assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, 65_000, 66_000));
                }
                assertThat(store.head("athanor/p/e/r/missing")).isEmpty();
                assertThatThrownBy(() -> store.get("athanor/p/e/r/missing")).isInstanceOf(StoreException.class)
                        .hasMessageContaining("no object athanor/p/e/r/missing in gs://athanor-http");
            }
            assertThat(api.requests()).anyMatch(r -> r.startsWith("GET ") && r.contains("/o/athanor"));
        }
    }
}
