package dev.athanor.tfevents.logdir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.tfevents.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogdirTest {

    @TempDir
    Path root;

    private Path touch(String relative) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, new byte[] {1});
    }

    @Test
    void directoriesHoldingEventFilesAreRunsNamedRelativeToTheRoot() throws IOException {
        touch("events.out.tfevents.100.host");
        touch("train/events.out.tfevents.100.host.1.0.v2");
        touch("hparam_tuning/run-0/validation/events.out.tfevents.101.host");
        touch("empty/notes.txt");

        Logdir logdir = Logdir.scan(root);

        assertThat(logdir.runs()).extracting(Run::name)
                .containsExactly(".", "hparam_tuning/run-0/validation", "train");
        assertThat(logdir.run("train")).get().satisfies(run -> {
            assertThat(run.directory()).isEqualTo(root.resolve("train"));
            assertThat(run.eventFiles()).containsExactly(root.resolve("train/events.out.tfevents.100.host.1.0.v2"));
        });
        assertThat(logdir.problems()).isEmpty();
    }

    @Test
    void directoriesHoldingPytorchTracesAreListedWithOrWithoutEventFiles() throws IOException {
        touch("resnet/vm_1.1796553923108403786.pt.trace.json");
        touch("resnet/vm_1.1796553920000000000.pt.trace.json.gz");
        touch("resnet/.vm_1.1.pt.trace.json"); // hidden: a writer's temporary file
        touch("train/events.out.tfevents.100.host");
        touch("train/worker0.1795729068000.pt.trace.json");
        touch("notes/trace.json");
        touch("train/plugins/profile/s1/worker0.1795729068000.pt.trace.json"); // a plugin file of train

        Logdir logdir = Logdir.scan(root);

        assertThat(logdir.runs()).extracting(Run::name).containsExactly("train");
        assertThat(logdir.profilerTraces()).extracting(ProfilerTraces::run).containsExactly("resnet", "train");
        assertThat(logdir.profilerTraces().getFirst().files()).extracting(p -> p.getFileName().toString())
                .containsExactly("vm_1.1796553920000000000.pt.trace.json.gz", "vm_1.1796553923108403786.pt.trace.json");
    }

    @Test
    void eventFilesOfARunAreSortedByName() throws IOException {
        touch("run/events.out.tfevents.200.host.2.0");
        touch("run/events.out.tfevents.100.host.1.0");
        touch("run/events.out.tfevents.150.host");
        touch("run/other.log");

        Run run = Logdir.scan(root).runs().getFirst();

        assertThat(run.eventFiles()).extracting(path -> path.getFileName().toString()).containsExactly(
                "events.out.tfevents.100.host.1.0", "events.out.tfevents.150.host", "events.out.tfevents.200.host.2.0");
    }

    @Test
    void hiddenDirectoriesAreRunsAsInTensorBoardButVcsAndAthanorsOwnAreNotEntered() throws IOException {
        touch(".git/events.out.tfevents.1.host");
        touch(".hg/events.out.tfevents.1.host");
        touch(".athanor/hot/exp/run/events.out.tfevents.1.0000000001.node.0.athanor");
        touch("run/.ipynb_checkpoints/events.out.tfevents.1.host");
        touch(".hydra/events.out.tfevents.1.host");
        touch("run/events.out.tfevents.1.host");

        assertThat(Logdir.scan(root).runs()).extracting(Run::name)
                .containsExactly(".hydra", "run", "run/.ipynb_checkpoints");
    }

    @Test
    void aSymlinkLoopIsReportedAndTheRestIsScanned() throws IOException {
        touch("a/events.out.tfevents.1.host");
        Files.createSymbolicLink(root.resolve("a/loop"), root.resolve("a"));
        Files.createSymbolicLink(root.resolve("dangling"), root.resolve("missing"));

        Logdir logdir = Logdir.scan(root);

        assertThat(logdir.runs()).extracting(Run::name).containsExactly("a");
        assertThat(logdir.problems()).singleElement().asString().contains("loop", "a/loop");
    }

    @Test
    void aRootThatIsNotADirectoryIsAnError() {
        assertThatThrownBy(() -> Logdir.scan(root.resolve("nope")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope");
    }

    @Test
    void theFixturesPyTorchLogdirHasTheRunsTensorBoardShows() throws IOException {
        Path exp1 = Fixtures.dir().resolve("generated/pytorch/runs/exp1");

        Logdir logdir = Logdir.scan(exp1);

        assertThat(logdir.runs()).extracting(Run::name).containsExactly(
                ".", "1795729073.1751838", "1795729073.1864135", "Loss_compare_train", "Loss_compare_val");
        assertThat(logdir.runs()).allSatisfy(run -> assertThat(run.eventFiles()).hasSize(1));
    }
}
