package dev.athanor.cli.testing;

import dev.athanor.cli.tensorboard.TensorBoardInstallation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Python the cli tests run stock TensorBoard (or torch) with: {@code ATHANOR_TENSORBOARD_PYTHON}
 * ({@code .ci/run} makes a venv and sets it; locally e.g. {@code /tmp/tbvenv/bin/python}), else a
 * venv beside the checkout ({@code ../venv/bin/python}).
 */
public final class TensorBoardPython {

    private TensorBoardPython() {
    }

    /** The configured Python, whether or not it exists. */
    public static Path configured() {
        String configured = System.getenv(TensorBoardInstallation.PYTHON_ENV);
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : UploadedSuite.repoRoot().resolve("../venv/bin/python").normalize();
    }

    /** The configured Python when it runs and has the {@code tensorboard} package. */
    public static Optional<Path> withTensorBoard() {
        return withModule("tensorboard");
    }

    /** The configured Python when it runs and has {@code torch} ({@code .ci/run} installs it in the same venv). */
    public static Optional<Path> withTorch() {
        return withModule("torch");
    }

    /** Why a test that needs torch skips. */
    public static String torchMissing() {
        return "no Python with torch at " + configured() + " (set " + TensorBoardInstallation.PYTHON_ENV
                + "; .ci/run installs torch into its venv); skipping";
    }

    private static Optional<Path> withModule(String module) {
        Path python = configured();
        if (!Files.isExecutable(python)) {
            return Optional.empty();
        }
        try {
            Process probe = new ProcessBuilder(python.toString(), "-c", "import " + module)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (probe.waitFor(2, TimeUnit.MINUTES) && probe.exitValue() == 0) {
                return Optional.of(python);
            }
            probe.destroyForcibly();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Why a test that needs TensorBoard skips. */
    public static String missing() {
        return "no Python with the tensorboard package at " + configured() + " (set "
                + TensorBoardInstallation.PYTHON_ENV + "; .ci/run prepares one); skipping";
    }
}
