package dev.athanor.uploader.session;

import java.util.ArrayList;
import java.util.List;

/**
 * SIGTERM and SIGINT handling for the duration of an upload: the first signal asks for a drain
 * (finish what is there within the grace period), the second aborts. Without this the JVM would
 * exit at once on SIGTERM, which is what Kubernetes sends a sidecar when the pod stops.
 * Uses {@code sun.misc.Signal} (module jdk.unsupported), the only way to keep the JVM alive past a
 * signal; where it is missing, a shutdown hook drains within the grace period instead.
 */
public final class TerminationSignals implements AutoCloseable {

    private final List<Runnable> restore = new ArrayList<>();

    private TerminationSignals() {
    }

    /**
     * @param onFirst  called on the first signal (request a drain)
     * @param onSecond called on any later signal (abort)
     * @param awaitEnd used by the shutdown-hook fallback: blocks until the upload has ended
     */
    @SuppressWarnings("removal")
    public static TerminationSignals install(Runnable onFirst, Runnable onSecond, Runnable awaitEnd) {
        TerminationSignals signals = new TerminationSignals();
        int[] count = {0};
        Runnable handler = () -> {
            synchronized (count) {
                count[0]++;
                (count[0] == 1 ? onFirst : onSecond).run();
            }
        };
        try {
            for (String name : List.of("TERM", "INT")) {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, s -> handler.run());
                signals.restore.add(() -> sun.misc.Signal.handle(signal, previous));
            }
        } catch (Throwable unavailable) {
            signals.close();
            Thread hook = new Thread(() -> {
                onFirst.run();
                awaitEnd.run();
            }, "athanor-uploader-drain");
            Runtime.getRuntime().addShutdownHook(hook);
            signals.restore.add(() -> {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Already running: it is what ends the upload.
                }
            });
        }
        return signals;
    }

    @Override
    public void close() {
        for (Runnable r : restore) {
            r.run();
        }
        restore.clear();
    }
}
