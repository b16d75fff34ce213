package dev.athanor.uploader.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.testing.TestLogdir;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginAssetsDiscoveryTest {

    @TempDir
    Path dir;

    private void write(String relative) throws Exception {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, relative);
    }

    @Test
    void findsThePluginFilesOfEveryRunAndOfAProfilerOnlyLogdir() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        try (EventFileWriter train = logdir.newFile("train")) {
            TestLogdir.writeScalars(train, "loss", 0, 3, 0);
        }
        write("train/plugins/profile/2026_11_27_00_00_00/host.xplane.pb");
        write("train/plugins/profile/2026_11_27_00_00_00/host.trace.json.gz");
        write("train/plugins/profile/2026_11_27_00_00_00/.host.xplane.pb.tmp");
        write("train/plugins/.hidden/x.pb");
        write("train/plugins/profile/s/events.out.tfevents.1.h"); // an event file: a run of its own, not an asset
        write("plugins/profile/s2/worker0.1.pt.trace.json");
        write("notarun/plugins/profile/s3/x.pb"); // below a directory without event files: not a run

        LogdirScan scan = new LogdirRunDiscovery(dir).scan();

        assertThat(scan.assets()).extracting(DiscoveredAsset::displayName).containsExactly(
                "plugins/profile/s2/worker0.1.pt.trace.json",
                "train/plugins/profile/2026_11_27_00_00_00/host.trace.json.gz",
                "train/plugins/profile/2026_11_27_00_00_00/host.xplane.pb");
        DiscoveredAsset trace = scan.assets().get(2);
        assertThat(trace.runPath()).isEqualTo("train");
        assertThat(trace.path()).isEqualTo("plugins/profile/2026_11_27_00_00_00/host.xplane.pb");
        assertThat(trace.size()).isEqualTo(Files.size(trace.file()));
    }

    @Test
    void pytorchTracesInTheRunDirectoryAreAssetsAndTheirDirectoryIsARunWithoutEventFiles() throws Exception {
        write("resnet/vm_27516.1796553923108403786.pt.trace.json");
        write("resnet/vm_27516.1796553925000000000.pt.trace.json.gz");
        write("resnet/notes.txt");

        LogdirScan scan = new LogdirRunDiscovery(dir).scan();

        assertThat(scan.files()).isEmpty();
        assertThat(scan.assets()).extracting(DiscoveredAsset::runPath, DiscoveredAsset::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("resnet", "vm_27516.1796553923108403786.pt.trace.json"),
                org.assertj.core.groups.Tuple.tuple("resnet", "vm_27516.1796553925000000000.pt.trace.json.gz"));
        assertThat(scan.assets().getFirst().size()).isEqualTo(Files.size(dir.resolve(
                "resnet/vm_27516.1796553923108403786.pt.trace.json")));
    }
}
