package dev.athanor.testing.keycloak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a process together with everything it started. {@code kc.sh} runs Keycloak's JVM as a child
 * process; stopping only the script would leave that JVM (and its ports) behind.
 */
final class ProcessTree {

    private ProcessTree() {
    }

    /**
     * Asks the process and all its descendants to terminate (SIGTERM), waits up to {@code grace},
     * then kills whatever is left (SIGKILL). The descendants are listed before anything is signalled:
     * once the parent is gone they are re-parented and can no longer be found through it.
     *
     * @return true if everything ended within the grace period
     */
    static boolean stop(ProcessHandle root, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(root);
        // Children first, so the script's signal forwarding finds nothing left to do.
        for (ProcessHandle p : all) {
            p.destroy();
        }
        boolean clean = awaitExit(all, grace);
        if (!clean) {
            for (ProcessHandle p : all) {
                p.destroyForcibly();
            }
            awaitExit(all, Duration.ofSeconds(10));
        }
        return clean;
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        CompletableFuture<?>[] exits = processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }
}
