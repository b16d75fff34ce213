package dev.athanor.cli.suite;

import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code athanor up}: the whole suite on one machine, with embedded PostgreSQL, the raw log on the
 * local filesystem, and auth off — so everything binds to loopback only.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {
            "Runs the whole suite locally: embedded PostgreSQL (data kept in --home), query-service and "
                + "ingest-service, bound to 127.0.0.1 with auth off. Stops cleanly on Ctrl-C."
        })
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--home", description = "Where data and logs live (default: ${DEFAULT-VALUE}).",
            defaultValue = "${env:ATHANOR_HOME:-.athanor}")
    Path home;

    @Option(names = "--repo", description = "The Athanor checkout holding the built services (default: ${DEFAULT-VALUE}).",
            defaultValue = "${env:ATHANOR_REPO:-.}")
    Path repo;

    @Option(names = "--pg-port", defaultValue = "54329", description = "Embedded PostgreSQL port (default: ${DEFAULT-VALUE}).")
    int pgPort;

    @Option(names = "--query-port", defaultValue = "8080", description = "REST API port (default: ${DEFAULT-VALUE}).")
    int queryPort;

    @Option(names = "--ingest-port", defaultValue = "8081",
            description = "ingest-service HTTP port, for health and metrics (default: ${DEFAULT-VALUE}).")
    int ingestHttpPort;

    @Option(names = "--grpc-port", defaultValue = "9090", description = "gRPC ingest port (default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--demo", description = "Once up, upload a generated hyperparameter sweep and, when the "
            + "checkout has them (../shared/fixtures/tfevents), the real-framework example event files.")
    boolean demo;

    @Override
    public Integer call() throws Exception {
        LocalSuite.Settings settings = new LocalSuite.Settings(home.toAbsolutePath().normalize(),
                repo.toAbsolutePath().normalize(), Path.of(System.getProperty("java.home")),
                pgPort, queryPort, ingestHttpPort, grpcPort, Duration.ofMinutes(2));
        LocalSuite suite = LocalSuite.start(settings, step -> System.err.println("athanor: " + step + "..."));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("\nathanor: stopping the suite...");
            suite.close();
            stopped.countDown();
        }, "athanor-shutdown"));
        if (demo) {
            loadDemo(suite, settings);
        }
        printBanner(suite);
        stopped.await();
        return 0;
    }

    private static void loadDemo(LocalSuite suite, LocalSuite.Settings settings) throws IOException {
        Path sweep = settings.home().resolve("demo/sweep");
        if (!Files.isDirectory(sweep)) {
            int runs = DemoLogdir.write(sweep, 42);
            System.err.println("athanor: wrote a demo sweep of " + runs + " runs to " + sweep);
        }
        upload(suite, sweep, "demo-sweep");
        Path fixtures = settings.repo().resolve("../shared/fixtures/tfevents").normalize();
        if (Files.isDirectory(fixtures)) {
            upload(suite, fixtures, "tensorboard-fixtures");
        }
    }

    private static void upload(LocalSuite suite, Path logdir, String experiment) {
        UploadResult result = Uploader.run(UploadOptions.builder(logdir, experiment, suite.grpcEndpoint())
                .once(true).finishRuns(true).progress(UploadOptions.ProgressMode.QUIET).build());
        if (!result.succeeded()) {
            System.err.println("athanor: the demo experiment '" + experiment + "' from " + logdir
                    + " did not upload completely: " + result.message());
        }
    }

    private static void printBanner(LocalSuite suite) {
        LocalSuite.Settings s = suite.settings();
        String line = "=".repeat(78);
        System.out.println(line);
        System.out.println(" Athanor is up (local suite)");
        System.out.println("   REST API      " + suite.restBase());
        System.out.println("   OpenAPI       http://127.0.0.1:" + s.queryPort() + "/q/swagger-ui");
        System.out.println("   gRPC ingest   " + suite.grpcEndpoint()
                + "   (./athanor upload --endpoint " + suite.grpcEndpoint() + " --logdir DIR --experiment NAME)");
        System.out.println("   PostgreSQL    " + suite.jdbcUrl());
        System.out.println("   data, logs    " + s.home());
        System.out.println(" AUTH IS OFF: every service is bound to 127.0.0.1 only. Do not expose these ports.");
        System.out.println(" Ctrl-C stops everything.");
        System.out.println(line);
        System.out.flush();
    }
}
