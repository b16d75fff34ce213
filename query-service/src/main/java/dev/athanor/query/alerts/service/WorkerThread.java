package dev.athanor.query.alerts.service;

/**
 * The one background thread of an alerts worker (evaluator, delivery): started at boot when alerts
 * are on, interrupted at shutdown; the worker's loop runs while {@link #running()}.
 */
final class WorkerThread {

    private final String name;
    private volatile boolean running;
    private Thread thread;

    WorkerThread(String name) {
        this.name = name;
    }

    void start(Runnable loop) {
        running = true;
        thread = Thread.ofPlatform().name(name).daemon().start(loop);
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    boolean running() {
        return running;
    }
}
