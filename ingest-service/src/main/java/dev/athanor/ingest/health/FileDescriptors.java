package dev.athanor.ingest.health;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** This process's file descriptors as the JVM reports them: how many are open, and its limit (RLIMIT_NOFILE). */
public final class FileDescriptors {

    private FileDescriptors() {
    }

    /** Descriptors open now, or -1 when the platform does not say. */
    public static long open() {
        return unix() instanceof UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
    }

    /** The process's limit (the soft RLIMIT_NOFILE), or -1 when the platform does not say. */
    public static long max() {
        return unix() instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    private static OperatingSystemMXBean unix() {
        return ManagementFactory.getOperatingSystemMXBean();
    }
}
