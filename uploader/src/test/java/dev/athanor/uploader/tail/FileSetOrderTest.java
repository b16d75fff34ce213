package dev.athanor.uploader.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.tfevents.record.TfRecordWriter;
import dev.athanor.uploader.Problem;
import dev.athanor.uploader.discovery.DiscoveredFile;
import dev.athanor.uploader.discovery.LogdirScan;
import dev.athanor.uploader.flow.EffectiveLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's files are sent in name order, as TensorBoard reads them (rewinds depend on it). */
class FileSetOrderTest {

    private static final EffectiveLimits SMALL_BATCHES = new EffectiveLimits(1 << 20, 1 << 16, 250, 4, 0);

    @TempDir
    Path dir;

    @Test
    void aLaterFileOfARunWaitsUntilTheEarlierOnesAreRead() throws IOException {
        List<Problem> problems = new ArrayList<>();
        ReaderPool readers = new ReaderPool(4);
        FileSet files = new FileSet(readers, problems::add);
        BatchReader reader = new BatchReader(readers, problems::add);
        List<DiscoveredFile> discovered = new ArrayList<>();
        // The restarted job's file is discovered first, and another run has data too.
        for (String[] spec : new String[][] {{"run", "events.out.tfevents.2000.host"}, {"run", "events.out.tfevents.1000.host"},
                {"other", "events.out.tfevents.1500.host"}}) {
            Path file = Files.createDirectories(dir.resolve(spec[0])).resolve(spec[1]);
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int i = 0; i < 6; i++) {
                    out.write(TfRecordWriter.frame(new byte[100]));
                }
            }
            discovered.add(new DiscoveredFile(spec[0], spec[1], file, Files.size(file)));
        }
        files.apply(new LogdirScan(discovered, List.of()));

        List<String> order = new ArrayList<>();
        TailedFile next;
        while ((next = files.nextReady()) != null) {
            ReadBatch batch = reader.read(next, SMALL_BATCHES);
            files.requeue(next);
            if (batch != null) {
                order.add(next.runPath() + "/" + next.fileName());
            }
        }

        List<String> run = order.stream().filter(name -> name.startsWith("run/")).toList();
        assertThat(run).hasSize(6);
        assertThat(run.subList(0, 3)).containsOnly("run/events.out.tfevents.1000.host");
        assertThat(run.subList(3, 6)).containsOnly("run/events.out.tfevents.2000.host");
        // Other runs are not held back by it.
        assertThat(order.indexOf("other/events.out.tfevents.1500.host")).isLessThan(order.lastIndexOf("run/events.out.tfevents.1000.host"));
        assertThat(problems).isEmpty();
        files.close();
    }

    @Test
    void anEarlierFileThatVanishedOrARunLeftOutHoldsNothingBack() throws IOException {
        FileSet files = new FileSet(new ReaderPool(4), problem -> { });
        DiscoveredFile early = file("run", "events.out.tfevents.1000.host");
        DiscoveredFile late = file("run", "events.out.tfevents.2000.host");
        DiscoveredFile other = file("other", "events.out.tfevents.1000.host");
        files.apply(new LogdirScan(List.of(early, late, other), List.of()));
        List<String> ready = new ArrayList<>();
        for (TailedFile next; (next = files.nextReady()) != null; ) {
            ready.add(next.runPath() + "/" + next.fileName());
        }
        assertThat(ready).containsExactlyInAnyOrder("run/events.out.tfevents.1000.host", "other/events.out.tfevents.1000.host");

        files.apply(new LogdirScan(List.of(late, other), List.of()));   // the earlier file is gone
        files.requeue(files.get(TailedFile.key("run", late.fileName())));
        assertThat(files.nextReady()).extracting(TailedFile::fileName).isEqualTo(late.fileName());

        files.forgetRun("run");
        files.apply(new LogdirScan(List.of(early, other), List.of()));  // found again: a new file of its run
        assertThat(files.get(TailedFile.key("run", early.fileName()))).isNotNull();
        files.close();
    }

    private DiscoveredFile file(String run, String name) throws IOException {
        Path file = Files.createDirectories(dir.resolve(run)).resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(TfRecordWriter.frame(new byte[100]));
        }
        return new DiscoveredFile(run, name, file, Files.size(file));
    }
}
