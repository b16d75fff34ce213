package dev.athanor.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Python that tests run stock TensorBoard (or torch) with: {@code -D}{@value #PROPERTY}, else
 * {@code $}{@value #ENV} ({@code .ci/run} makes a venv and sets it; locally e.g.
 * {@code /tmp/tbvenv/bin/python}), else a venv beside the checkout ({@code ../venv/bin/python}).
 */
public final class TensorBoardPython {

    public static final String PROPERTY = "athanor.tensorboard.python";
    /** The cli reads the same variable to find the TensorBoard it launches. */
    public static final String ENV = "ATHANOR_TENSORBOARD_PYTHON";

    private TensorBoardPython() {
    }

    /** The configured Python, whether or not it exists. */
    public static Path configured() {
        for (String configured : new String[] {System.getProperty(PROPERTY), System.getenv(ENV)}) {
            if (configured != null && !configured.isBlank()) {
                return Path.of(configured);
            }
        }
        return RepoRoot.path().resolve("../venv/bin/python").normalize();
    }

    /** The configured Python when it runs and has the {@code tensorboard} package. */
    public static Optional<Path> withTensorBoard() {
        return withModule("tensorboard");
    }

    /** The configured Python when it runs and has {@code torch} ({@code .ci/run} installs it in the same venv). */
    public static Optional<Path> withTorch() {
        return withModule("torch");
    }

    /** Why a test that needs TensorBoard skips. */
    public static String missing() {
        return "no Python with the tensorboard package at " + configured() + " (set " + ENV + " or -D" + PROPERTY
                + "; .ci/run prepares one); skipping";
    }

    /** Why a test that needs torch skips. */
    public static String torchMissing() {
        return "no Python with torch at " + configured() + " (set " + ENV + "; .ci/run installs torch into its venv); skipping";
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
}
