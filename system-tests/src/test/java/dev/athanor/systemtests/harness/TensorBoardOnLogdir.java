package dev.athanor.systemtests.harness;

import dev.athanor.cli.tensorboard.TensorBoardInstallation;
import dev.athanor.cli.tensorboard.TensorBoardProcess;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stock TensorBoard reading a logdir with its default (Rust) loader, on 127.0.0.1, once loaded:
 * the reference that Athanor-through-TensorBoard is compared with.
 */
public final class TensorBoardOnLogdir implements AutoCloseable {

    private final TensorBoardProcess process;
    private final TensorBoardHttp http;

    private TensorBoardOnLogdir(TensorBoardProcess process, String url) {
        this.process = process;
        this.http = new TensorBoardHttp(url);
    }

    /**
     * Starts TensorBoard on {@code logdir} with {@code moreFlags} and waits until it lists every one of
     * {@code runs} and its tag lists stopped changing (its loader reads in the background).
     */
    public static TensorBoardOnLogdir start(Path python, Path logdir, Set<String> runs, List<String> moreFlags)
            throws IOException, InterruptedException {
        List<String> flags = new ArrayList<>(List.of("--logdir", logdir.toString(), "--host", "127.0.0.1",
                "--port", "0", "--reload_interval", "0"));
        flags.addAll(moreFlags);
        TensorBoardProcess process = TensorBoardProcess.start(TensorBoardInstallation.find(python.toString(), System.getenv()),
                flags, new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        try {
            TensorBoardOnLogdir started = new TensorBoardOnLogdir(process, process.awaitReady(Duration.ofMinutes(2)));
            started.awaitLoaded(runs, Duration.ofMinutes(2));
            return started;
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.close();
            throw e;
        }
    }

    private void awaitLoaded(Set<String> runs, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String before = null;
        while (Instant.now().isBefore(deadline)) {
            Set<String> listed = new TreeSet<>();
            http.get("data/runs").json().forEach(run -> listed.add(run.asText()));
            String now = fingerprint();
            if (listed.containsAll(runs) && now.equals(before)) {
                return;
            }
            before = listed.containsAll(runs) ? now : null;
            Thread.sleep(2000);
        }
        throw new IllegalStateException("TensorBoard did not load " + runs + " within " + timeout.toSeconds() + " s");
    }

    /** Every plugin's tag lists at once: equal twice in a row means the loader is done. */
    private String fingerprint() {
        StringBuilder all = new StringBuilder();
        for (String plugin : List.of("scalars", "histograms", "images", "audio", "text", "pr_curves")) {
            all.append(http.get("data/plugin/" + plugin + "/tags").text());
        }
        return all.append(http.get("data/plugin/graphs/info").text()).toString();
    }

    public TensorBoardHttp http() {
        return http;
    }

    @Override
    public void close() {
        process.close();
    }
}
