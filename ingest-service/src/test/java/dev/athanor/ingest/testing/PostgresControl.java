package dev.athanor.ingest.testing;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Lets a test stop and restart the embedded PostgreSQL of {@link PostgresResource}. The resource
 * and the test may live in different class loaders, so the handle is a platform MBean (JDK types
 * only) and the addresses travel as string system properties.
 */
public final class PostgresControl {

    /** The operations behind the MBean. */
    public interface Operations {
        void stopDatabase();

        void startDatabase();
    }

    private static final String URL = "athanor.test.pg.url";
    private static final String HOT_ROOT = "athanor.test.hot-root";
    private static final String NAME = "dev.athanor.test:type=EmbeddedPostgres";

    private PostgresControl() {
    }

    static void register(Runnable stop, Runnable start, String url, Path hotRoot) {
        System.setProperty(URL, url);
        System.setProperty(HOT_ROOT, hotRoot.toString());
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new StandardMBean(new Operations() {
                @Override
                public void stopDatabase() {
                    stop.run();
                }

                @Override
                public void startDatabase() {
                    start.run();
                }
            }, Operations.class), name);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void stop() {
        invoke("stopDatabase");
    }

    public static void start() {
        invoke("startDatabase");
    }

    private static void invoke(String operation) {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(NAME), operation, new Object[0],
                    new String[0]);
        } catch (JMException e) {
            throw new IllegalStateException(operation + " failed", e);
        }
    }

    public static String jdbcUrl() {
        return System.getProperty(URL);
    }

    public static Path hotRoot() {
        return Path.of(System.getProperty(HOT_ROOT));
    }
}
