package dev.athanor.cli.tensorboard;

import dev.athanor.cli.client.ClientFailure;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The user's own TensorBoard: {@code --python PY}, else the Python in {@value #PYTHON_ENV}, else the
 * {@code tensorboard} program on PATH. A Python is checked for the {@code tensorboard} package
 * before anything starts, so a missing one is a clear message instead of a traceback.
 *
 * @param command     how to run it, before TensorBoard's own flags
 * @param version     TensorBoard's version, when known
 */
public record TensorBoardInstallation(List<String> command, String version) {

    public static final String PYTHON_ENV = "ATHANOR_TENSORBOARD_PYTHON";
    static final String PIP_HINT = "pip install tensorboard";

    /** Finds TensorBoard, or a USAGE {@link ClientFailure} saying what to install or set. */
    public static TensorBoardInstallation find(String python, Map<String, String> environment) {
        if (python != null && !python.isBlank()) {
            return ofPython(python.strip(), "--python");
        }
        String configured = environment.get(PYTHON_ENV);
        if (configured != null && !configured.isBlank()) {
            return ofPython(configured.strip(), PYTHON_ENV);
        }
        Path program = onPath("tensorboard", environment.getOrDefault("PATH", ""));
        if (program == null) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, "no TensorBoard found: give a Python that has it "
                    + "with --python PY (or " + PYTHON_ENV + "=PY), or install it so that `tensorboard` is on PATH: "
                    + PIP_HINT);
        }
        return new TensorBoardInstallation(List.of(program.toString()), null);
    }

    private static TensorBoardInstallation ofPython(String python, String origin) {
        List<String> probe = List.of(python, "-c", "import tensorboard; print(tensorboard.__version__)");
        String output;
        int exit;
        try {
            Process process = new ProcessBuilder(probe).redirectErrorStream(true).start();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new ClientFailure(ClientFailure.Kind.USAGE, python + " (" + origin + ") did not answer within "
                        + "2 minutes when asked for its tensorboard package");
            }
            exit = process.exitValue();
        } catch (IOException e) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, "cannot run " + python + " (" + origin + "): "
                    + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientFailure(ClientFailure.Kind.USAGE, "interrupted while checking " + python);
        }
        if (exit != 0) {
            throw new ClientFailure(ClientFailure.Kind.USAGE, python + " (" + origin + ") has no tensorboard package; "
                    + "install it with: " + python + " -m " + PIP_HINT);
        }
        String[] lines = output.split("\\R");
        return new TensorBoardInstallation(List.of(python, "-m", "tensorboard.main"), lines[lines.length - 1]);
    }

    private static Path onPath(String program, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
