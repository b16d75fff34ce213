package dev.athanor.cli.tensorboard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stock TensorBoard as a child process. Its output goes to our standard error as it comes; the URL it announces is what {@link #awaitReady} waits
 * for, then for its HTTP API to answer.
 */
public final class TensorBoardProcess implements AutoCloseable {

    /** TensorBoard's announcement, e.g. {@code TensorBoard 2.21.0 at http://127.0.0.1:6006/ (Press CTRL+C to quit)}. */
    private static final Pattern SERVING_AT = Pattern.compile("TensorBoard \\S+ at (http://\\S+/)");
    private static final int LAST_LINES = 20;

    private final Process process;
    private final CompletableFuture<String> url = new CompletableFuture<>();
    private final Deque<String> lastLines = new ArrayDeque<>();

    private TensorBoardProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts TensorBoard with {@code flags} (where it reads and listens); its output goes to {@code err}.
     */
    public static TensorBoardProcess start(TensorBoardInstallation installation, List<String> flags, PrintWriter err)
            throws IOException {
        List<String> command = new ArrayList<>(installation.command());
        command.addAll(flags);
        TensorBoardProcess tensorBoard = new TensorBoardProcess(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE).start());
        Thread pump = new Thread(() -> tensorBoard.pump(err), "tensorboard-output");
        pump.setDaemon(true);
        pump.start();
        return tensorBoard;
    }

    private void pump(PrintWriter err) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > LAST_LINES) {
                        lastLines.removeFirst();
                    }
                }
                Matcher serving = SERVING_AT.matcher(line);
                if (serving.find()) {
                    url.complete(serving.group(1));
                }
                err.println("tensorboard: " + line);
                err.flush();
            }
        } catch (IOException ended) {
            // The process went away; its exit code tells the rest.
        }
    }

    /**
     * Waits until TensorBoard has announced its URL and its HTTP API answers; the URL.
     *
     * @throws IOException when it exits first or does not answer within {@code timeout}, with its last lines
     */
    public String awaitReady(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("TensorBoard exited with code " + process.exitValue() + " before it answered; "
                        + "its last lines:\n" + lastLines());
            }
            if (url.isDone() && answers(http, url.join())) {
                return url.join();
            }
            Thread.sleep(200);
        }
        throw new IOException("TensorBoard did not answer within " + timeout.toSeconds() + " s; its last lines:\n"
                + lastLines());
    }

    private static boolean answers(HttpClient http, String base) throws InterruptedException {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(base + "data/environment"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private String lastLines() {
        synchronized (lastLines) {
            return String.join("\n", lastLines);
        }
    }

    /** Waits until TensorBoard exits by itself; its exit code. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Stops TensorBoard: SIGTERM, then a kill after 10 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
