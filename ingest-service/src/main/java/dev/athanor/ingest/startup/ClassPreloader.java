package dev.athanor.ingest.startup;

import dev.athanor.ingest.config.IngestConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Loads every class of the application's jars once, at start, so no request path loads a class
 * later. Why: Quarkus' fast-jar class loader opens its jars lazily and keeps only a few open; a
 * class first needed under file-descriptor exhaustion cannot open its jar, and an event-loop thread
 * waiting for that open was parked for good (quarkusio/quarkus#48750, in
 * {@code JarFileReference.asyncLoadAcquiredJarFile}), so ingest stopped answering even after the
 * descriptors were given back (issue 14). Classes are loaded, not initialized (no static code
 * runs); what cannot be loaded (an optional dependency that is absent) is counted and skipped.
 *
 * <p>Chosen over a packaging change (an uber-jar, which the JDK's class loader keeps open): the
 * fast-jar layout is what the images, the local suite and the tests run, and the cost here is
 * paid once — seconds of CPU in the background after start and the metaspace of classes mostly loaded anyway.
 * Resources read late (a {@code ServiceLoader} when a peer channel is built) still open a jar;
 * they run on worker or virtual threads, never on the event loop. Only the packaged application
 * is walked: in tests and dev mode the class loader reads directories and jars it keeps open.
 */
@ApplicationScoped
public class ClassPreloader {

    private static final Logger LOG = Logger.getLogger(ClassPreloader.class);
    static final String FAST_JAR_LOADER = "io.quarkus.bootstrap.runner.RunnerClassLoader";

    /**
     * On a thread of its own at the lowest priority, so start-up and readiness do not wait (loading
     * some 34,000 classes took 25-37 s on a busy 2-core machine); descriptors are plenty while a
     * replica starts.
     */
    void preloadAtStart(@Observes StartupEvent start, IngestConfig config) {
        if (!config.preloadClasses()) {
            LOG.info("not preloading classes (athanor.ingest.preload-classes=false)");
            return;
        }
        ClassLoader loader = ClassPreloader.class.getClassLoader();
        if (!loader.getClass().getName().equals(FAST_JAR_LOADER)) {
            LOG.debugf("not preloading classes: %s is not the fast-jar class loader", loader.getClass().getName());
            return;
        }
        Path runJar = Path.of(System.getProperty("java.class.path")).toAbsolutePath();
        Thread preloader = new Thread(() -> preloadAll(runJar.getParent(), loader), "athanor-class-preload");
        preloader.setDaemon(true);
        preloader.setPriority(Thread.MIN_PRIORITY);
        preloader.start();
    }

    private static void preloadAll(Path quarkusApp, ClassLoader loader) {
        long started = System.nanoTime();
        Result result = preload(applicationJars(quarkusApp), loader);
        LOG.infof("preloaded %d classes of %d jars in %d ms (%d not loadable, e.g. optional dependencies absent), "
                        + "so no request waits for a jar to be opened", result.loaded(), result.jars(),
                (System.nanoTime() - started) / 1_000_000, result.failed());
    }

    record Result(int jars, int loaded, int failed) {
    }

    /** The jars of a fast-jar's {@code quarkus-app} directory that its class loader reads. */
    static List<Path> applicationJars(Path quarkusApp) {
        List<Path> jars = new ArrayList<>();
        for (String dir : List.of("lib/main", "app", "quarkus")) {
            Path d = quarkusApp.resolve(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.list(d)) {
                files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
            } catch (IOException e) {
                LOG.warnf("cannot list %s for class preloading: %s", d, e.getMessage());
            }
        }
        return jars;
    }

    static Result preload(List<Path> jars, ClassLoader loader) {
        int loaded = 0;
        int failed = 0;
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                Enumeration<JarEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    String className = className(name);
                    if (className == null) {
                        continue;
                    }
                    try {
                        Class.forName(className, false, loader);
                        loaded++;
                    } catch (ClassNotFoundException | LinkageError absentDependency) {
                        failed++;
                    }
                }
            } catch (IOException e) {
                LOG.warnf("cannot read %s for class preloading: %s", jar, e.getMessage());
            }
        }
        return new Result(jars.size(), loaded, failed);
    }

    /** The binary name of a class entry, or null for resources, module and package descriptors and versioned copies. */
    static String className(String entryName) {
        if (!entryName.endsWith(".class") || entryName.startsWith("META-INF/")
                || entryName.endsWith("module-info.class") || entryName.endsWith("package-info.class")) {
            return null;
        }
        return entryName.substring(0, entryName.length() - ".class".length()).replace('/', '.');
    }
}
