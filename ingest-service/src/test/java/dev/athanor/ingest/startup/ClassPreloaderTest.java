package dev.athanor.ingest.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassPreloaderTest {

    @TempDir
    Path dir;

    @Test
    void classEntriesAreNamedAndEverythingElseIsPassedOver() {
        assertThat(ClassPreloader.className("io/netty/channel/Channel.class")).isEqualTo("io.netty.channel.Channel");
        assertThat(ClassPreloader.className("a/B$1.class")).isEqualTo("a.B$1");
        assertThat(ClassPreloader.className("META-INF/versions/11/a/B.class")).isNull();
        assertThat(ClassPreloader.className("module-info.class")).isNull();
        assertThat(ClassPreloader.className("a/package-info.class")).isNull();
        assertThat(ClassPreloader.className("a/b.properties")).isNull();
    }

    @Test
    void loadsEveryClassOfTheJarsAndCountsWhatCannotBeLoaded() throws Exception {
        Path app = dir.resolve("quarkus-app");
        Path jar = app.resolve("lib/main/one.jar");
        Files.createDirectories(jar.getParent());
        Files.createDirectories(app.resolve("app"));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            copyClass(out, ClassPreloaderTest.Loaded.class);
            out.putNextEntry(new JarEntry("absent/Missing.class")); // not a class file: a LinkageError
            out.write(new byte[] {1, 2, 3});
            out.putNextEntry(new JarEntry("config.properties"));
        }
        Files.writeString(app.resolve("lib/main/notes.txt"), "not a jar");

        List<Path> jars = ClassPreloader.applicationJars(app);
        assertThat(jars).containsExactly(jar);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ClassPreloader.Result result = ClassPreloader.preload(jars, loader);
            assertThat(result).isEqualTo(new ClassPreloader.Result(1, 1, 1));
        }
    }

    private static void copyClass(JarOutputStream out, Class<?> type) throws IOException {
        String name = type.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(name));
        try (InputStream in = type.getClassLoader().getResourceAsStream(name)) {
            in.transferTo(out);
        }
    }

    /** A class without dependencies outside java.base, loadable from the jar alone. */
    static final class Loaded {
    }
}
