package dev.athanor.auth.testing;

import dev.athanor.auth.AuditLog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the audit rows ({@link AuditLog#CATEGORY}) written while it is open, so a service test
 * can check what its writes said: {@code try (AuditCapture audit = AuditCapture.start()) { … audit.lines() … }}.
 */
public final class AuditCapture extends Handler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(AuditLog.CATEGORY);

    private AuditCapture() {
        logger.addHandler(this);
    }

    public static AuditCapture start() {
        return new AuditCapture();
    }

    /** The rows so far, in the order written. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(record.getMessage());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
