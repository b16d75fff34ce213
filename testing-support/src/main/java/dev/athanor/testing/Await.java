package dev.athanor.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * Polls a condition until it holds or a deadline passes, instead of a hand-written sleep loop in
 * each test. A timeout fails with what was awaited, so the report says which wait ran out.
 */
public final class Await {

    /** How long between two looks unless a caller says otherwise. */
    public static final Duration DEFAULT_POLL = Duration.ofMillis(100);

    private Await() {
    }

    /** A condition that may throw (a query, an HTTP call) while it is looked at. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /**
     * Returns as soon as {@code condition} holds; fails naming {@code what} when it still does not
     * after {@code within}. The condition is looked at once more at the deadline.
     */
    public static void until(String what, Duration within, Condition condition) throws InterruptedException {
        until(what, within, DEFAULT_POLL, condition);
    }

    /** As {@link #until(String, Duration, Condition)}, looking every {@code poll}. */
    public static void until(String what, Duration within, Duration poll, Condition condition)
            throws InterruptedException {
        until(() -> what, within, poll, condition);
    }

    /**
     * As {@link #until(String, Duration, Duration, Condition)}, with the description made at the
     * deadline (so it can carry what the test saw by then, e.g. a process' output).
     */
    public static void until(Supplier<String> what, Duration within, Duration poll, Condition condition)
            throws InterruptedException {
        if (!holdsWithin(within, poll, condition)) {
            throw new AssertionFailedError("timed out after " + describe(within) + " waiting for " + what.get());
        }
    }

    /**
     * Whether {@code condition} comes to hold within {@code within}, for a test that asserts the
     * outcome itself (with its own message) once the wait is over.
     */
    public static boolean holdsWithin(Duration within, Duration poll, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            if (check(condition)) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            Thread.sleep(Math.max(1, Math.min(poll.toMillis(), Duration.ofNanos(left).toMillis())));
        }
    }

    /**
     * Polls {@code value} until it gives a non-null result and returns it; fails naming
     * {@code what} when it still gives null after {@code within}.
     */
    public static <T> T value(String what, Duration within, Duration poll, Callable<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            T found = call(value);
            if (found != null) {
                return found;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionFailedError("timed out after " + describe(within) + " waiting for " + what);
            }
            Thread.sleep(Math.max(1, Math.min(poll.toMillis(), Duration.ofNanos(left).toMillis())));
        }
    }

    private static boolean check(Condition condition) throws InterruptedException {
        return call(condition::holds);
    }

    private static <T> T call(Callable<T> value) throws InterruptedException {
        try {
            return value.call();
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("while looking at what is awaited: " + e, e);
        }
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
