package dev.athanor.query.assets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.query.assets.store.AssetStore;
import dev.athanor.query.assets.store.RunAsset;
import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import dev.athanor.query.testing.IndexTestData;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link AssetStore} must do: list complete assets by path and prefix, find one by path. */
public abstract class AssetStoreContract {

    protected abstract AssetStore store();

    protected abstract IndexTestData data();

    protected abstract Path hotRoot();

    private long run;
    private String traceSha;

    @BeforeEach
    void assets() throws Exception {
        String experimentName = IndexTestData.unique("assets");
        long experiment = data().experiment(experimentName);
        run = data().run(experiment, "train");
        String runDir = "default/" + experimentName + "/train";
        traceSha = AssetRows.store(data(), hotRoot(), run, runDir, "plugins/profile/s1/host.xplane.pb", new byte[] {1, 2, 3});
        AssetRows.store(data(), hotRoot(), run, runDir, "plugins/profile/s1/host.trace.json.gz", new byte[] {4});
        AssetRows.store(data(), hotRoot(), run, runDir, "plugins/projector/config.pbtxt", new byte[] {5});
        AssetRows.uploading(data(), run, runDir, "plugins/profile/s2/host.xplane.pb");
    }

    @Test
    void listsCompleteAssetsByPathWithAPrefix() {
        Page<RunAsset> page = store().list(run, "plugins/profile/", new PageRequest(0, 10));
        assertThat(page.items()).extracting(RunAsset::path)
                .containsExactly("plugins/profile/s1/host.trace.json.gz", "plugins/profile/s1/host.xplane.pb");
        assertThat(page.total()).isEqualTo(2);
        RunAsset trace = page.items().get(1);
        assertThat(trace.size()).isEqualTo(3);
        assertThat(trace.sha256()).isEqualTo(traceSha);
        assertThat(trace.relativePath()).endsWith("/train/plugins/profile/s1/host.xplane.pb");
        assertThat(store().list(run, "", new PageRequest(0, 10)).total()).isEqualTo(3);
    }

    @Test
    void pages() {
        Page<RunAsset> first = store().list(run, "", new PageRequest(0, 2));
        assertThat(first.items()).hasSize(2);
        assertThat(first.nextOffset()).isEqualTo(2);
        Page<RunAsset> last = store().list(run, "", new PageRequest(2, 2));
        assertThat(last.items()).extracting(RunAsset::path).containsExactly("plugins/projector/config.pbtxt");
        assertThat(last.nextOffset()).isNull();
    }

    @Test
    void aPrefixIsLiteralNotAPattern() {
        assertThat(store().list(run, "plugins/%", new PageRequest(0, 10)).items()).isEmpty();
        assertThat(store().list(run, "plugins/profile/s_/", new PageRequest(0, 10)).items()).isEmpty();
    }

    @Test
    void findsOnlyCompleteAssets() {
        assertThat(store().find(run, "plugins/profile/s1/host.xplane.pb")).isPresent();
        assertThat(store().find(run, "plugins/profile/s2/host.xplane.pb")).isEmpty();
        assertThat(store().find(run, "plugins/profile/s1/nope.pb")).isEmpty();
    }
}
