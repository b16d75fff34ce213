package dev.athanor.uploader.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Runs test work on its own thread. (The common ForkJoin pool has one thread on a 2-core machine:
 * a writer running there would keep the uploader from ever starting.)
 */
public final class Threads {

    private Threads() {
    }

    public static <T> CompletableFuture<T> start(String name, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
