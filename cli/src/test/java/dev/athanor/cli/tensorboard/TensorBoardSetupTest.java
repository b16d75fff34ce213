package dev.athanor.cli.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.cli.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code athanor tensorboard} settles before it starts anything: TensorBoard, the data provider, its flags. */
class TensorBoardSetupTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPythonWithoutTensorBoardSaysWhatToInstall(@TempDir Path dir) throws Exception {
        // A "Python" that fails the import, as one without the package does.
        Path python = Files.writeString(dir.resolve("python"), "#!/bin/sh\necho 'No module named tensorboard' >&2\nexit 1\n");
        python.toFile().setExecutable(true);

        assertThatThrownBy(() -> TensorBoardInstallation.find(python.toString(), Map.of()))
                .isInstanceOf(ClientFailure.class)
                .hasMessage(python + " (--python) has no tensorboard package; install it with: " + python
                        + " -m pip install tensorboard");
        assertThatThrownBy(() -> TensorBoardInstallation.find(null, Map.of("ATHANOR_TENSORBOARD_PYTHON", python.toString())))
                .hasMessageContaining("(ATHANOR_TENSORBOARD_PYTHON) has no tensorboard package");
    }

    @Test
    void withNoPythonGivenTensorBoardOnPathIsUsedAndItsAbsenceExplained(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TensorBoardInstallation.find(null, Map.of("PATH", dir.toString())))
                .hasMessageContaining("no TensorBoard found").hasMessageContaining("--python PY")
                .hasMessageContaining("pip install tensorboard");

        Path program = Files.writeString(dir.resolve("tensorboard"), "#!/bin/sh\n");
        program.toFile().setExecutable(true);
        assertThat(TensorBoardInstallation.find(null, Map.of("PATH", "/nonexistent:" + dir)).command())
                .containsExactly(program.toString());
    }

    @Test
    void aPythonWithTensorBoardRunsItsModule(@TempDir Path dir) throws Exception {
        Path python = Files.writeString(dir.resolve("python"), "#!/bin/sh\necho 2.21.0\n");
        python.toFile().setExecutable(true);

        TensorBoardInstallation found = TensorBoardInstallation.find(python.toString(), Map.of());

        assertThat(found.command()).containsExactly(python.toString(), "-m", "tensorboard.main");
        assertThat(found.version()).isEqualTo("2.21.0");
    }

    @Test
    void theDataProviderIsGivenAdvertisedOrTheDefaultPortOnTheRestHost() throws Exception {
        assertThat(DataProviderAddress.of("tb.example:443", "https://athanor.example", null))
                .isEqualTo(new DataProviderAddress("tb.example:443", true));
        assertThat(DataProviderAddress.of(null, "http://10.0.0.5:8080", JSON.readTree("{\"dataProvider\":{\"port\":9555}}")))
                .isEqualTo(new DataProviderAddress("10.0.0.5:9555", false));
        assertThat(DataProviderAddress.of(null, "http://127.0.0.1:8080", JSON.readTree("{\"service\":\"athanor-query-service\"}")))
                .isEqualTo(new DataProviderAddress("127.0.0.1:9190", false));
        assertThatThrownBy(() -> DataProviderAddress.of("no-port", "http://127.0.0.1:8080", null))
                .hasMessage("--data-provider no-port is not HOST:PORT, e.g. 127.0.0.1:9190");
    }

    @Test
    void flagsThatWouldExposeTheProxyOrReplaceItAreRefused() {
        for (String flag : new String[] {"--bind_all", "--host=0.0.0.0", "--logdir", "--grpc_data_provider=x:1"}) {
            Cli.Outcome refused = Cli.run("tensorboard", "--experiment", "x", "--server", "http://127.0.0.1:1", "--", flag);

            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
            assertThat(refused.stderr()).contains("athanor tensorboard: TensorBoard's " + flag.split("=")[0]
                    + " is set by this command");
        }
    }

    @Test
    void anExperimentIdIsNeverEmpty() {
        assertThatThrownBy(() -> new ExperimentScope("", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
