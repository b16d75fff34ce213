package dev.athanor.cli.suite;

import dev.athanor.cli.tensorboard.DataProviderAddress;
import dev.athanor.suite.LocalSuite;
import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code athanor up}: the whole suite on one machine, with embedded PostgreSQL, the raw log on the
 * local filesystem, and auth off — so everything binds to loopback only.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {
            "Runs the whole suite locally: embedded PostgreSQL (data kept in --home), query-service, "
                + "ingest-service (--ingest-replicas of them) and archive-service beside each ingest replica (a "
                + "filesystem archive in <home>/archive, which also carries out purges), bound to 127.0.0.1 with auth "
                + "off. query-service also "
                + "serves TensorBoard's data-provider protocol on --data-provider-port (see `athanor tensorboard`). "
                + "Stops cleanly on Ctrl-C."
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

    @Option(names = "--data-provider-port", defaultValue = "" + DataProviderAddress.DEFAULT_PORT,
            description = "query-service's gRPC port for TensorBoard's data-provider protocol, which "
                    + "`athanor tensorboard` uses (default: ${DEFAULT-VALUE}).")
    int dataProviderPort;

    @Option(names = "--ingest-port", defaultValue = "8081",
            description = "ingest-service HTTP port, for health and metrics, of replica 0; replica i uses this + i "
                    + "(default: ${DEFAULT-VALUE}).")
    int ingestHttpPort;

    @Option(names = "--grpc-port", defaultValue = "9090",
            description = "gRPC ingest port of replica 0; replica i listens on this + i (default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--ingest-replicas", defaultValue = "1", paramLabel = "N",
            description = "How many ingest-service processes to run (1-16, default: ${DEFAULT-VALUE}). Replica i has "
                    + "its own hot root (<home>/hot for replica 0, <home>/hot-replicas/ingest-<i> for the others), "
                    + "node name (ingest-<i>; replica 0 keeps the host name), HTTP port --ingest-port + i and gRPC "
                    + "port --grpc-port + i; each run is written by one replica at a time (a lease in PostgreSQL). "
                    + "Upload to them all with --endpoint HOST:PORT,HOST:PORT,...")
    int ingestReplicas;

    @Option(names = "--archive-port", defaultValue = "8183",
            description = "HTTP port of the archive-service beside replica 0; the one beside replica i uses this + i "
                    + "(default: ${DEFAULT-VALUE}).")
    int archivePort;

    @Option(names = "--no-archive", description = "Start no archive-service: sealed segments stay in hot storage and "
            + "purged runs wait (\"purge requested\") until an archive-service runs; one JVM fewer.")
    boolean noArchive;

    @Option(names = "--demo", description = "Once up, upload a generated hyperparameter sweep and, when the "
            + "checkout has them (../shared/fixtures/tfevents), the real-framework example event files.")
    boolean demo;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LocalSuite.Settings settings;
        try {
            settings = new LocalSuite.Settings(home.toAbsolutePath().normalize(),
                    repo.toAbsolutePath().normalize(), Path.of(System.getProperty("java.home")),
                    pgPort, queryPort, dataProviderPort, ingestHttpPort, grpcPort, Duration.ofMinutes(2), Map.of(), ingestReplicas);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--ingest-replicas: " + e.getMessage());
        }
        if (!noArchive) {
            try {
                settings = settings.withArchive(archivePort);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--archive-port: " + e.getMessage());
            }
        }
        String clash = settings.portClash();
        if (clash != null) {
            throw new ParameterException(spec.commandLine(), clash + "; choose other --query-port, --data-provider-port, "
                    + "--ingest-port, --grpc-port, --archive-port or --pg-port");
        }
        var busy = PortsInUse.first(settings.ports());
        if (busy.isPresent()) {
            var err = spec.commandLine().getErr();
            if (PortsInUse.athanorAnswers(settings.queryPort())) {
                err.println("athanor up: a suite is already running: its REST API answers on http://127.0.0.1:"
                        + settings.queryPort() + "/api/v1; stop it first (Ctrl-C where it runs), or start another with"
                        + " other ports (--query-port, --data-provider-port, --ingest-port, --grpc-port, --archive-port,"
                        + " --pg-port)"
                        + " and another --home");
            } else {
                err.println("athanor up: port " + busy.get().getKey() + " (for the " + busy.get().getValue()
                        + ") is in use by another program; choose another with --query-port, --data-provider-port,"
                        + " --ingest-port, --grpc-port, --archive-port or --pg-port");
            }
            err.flush();
            return 1;
        }
        LocalSuite suite;
        try {
            suite = LocalSuite.start(settings, step -> System.err.println("athanor: " + step + "..."));
        } catch (IOException e) {
            spec.commandLine().getErr().println("athanor up: the suite could not start: " + e.getMessage()
                    + " (service logs in " + settings.logs() + ")");
            return 1;
        }
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
        UploadResult result = Uploader.run(UploadOptions.builder(logdir, experiment, String.join(",", suite.grpcEndpoints()))
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
        String endpoints = String.join(",", suite.grpcEndpoints());
        System.out.println("   gRPC ingest   " + endpoints
                + "   (./athanor upload --endpoint " + endpoints + " --logdir DIR --experiment NAME)");
        if (s.ingestReplicas() > 1) {
            for (int i = 0; i < s.ingestReplicas(); i++) {
                System.out.println("     replica " + i + "   gRPC " + suite.grpcEndpoint(i) + ", HTTP 127.0.0.1:"
                        + s.ingestHttpPort(i) + ", node " + s.ingestNodeName(i).orElse("(host name)") + ", hot root "
                        + s.ingestHotRoot(i));
            }
        }
        System.out.println("   TensorBoard   data provider (gRPC) " + suite.dataProviderEndpoint()
                + "   (./athanor tensorboard --experiment NAME opens stock TensorBoard on it)");
        if (s.archive()) {
            System.out.println("   archive       " + s.archiveRoot() + "   (archive-service on "
                    + (s.ingestReplicas() > 1 ? "127.0.0.1:" + s.archiveHttpPort(0) + "-" + s.archiveHttpPort(s.ingestReplicas() - 1)
                    + ", one beside each replica" : suite.archiveBase(0).replace("/api/v1", ""))
                    + "; sealed segments move here, purges run every 10 s)");
        } else {
            System.out.println("   archive       none (--no-archive): segments stay hot, purges wait");
        }
        System.out.println("   PostgreSQL    " + suite.jdbcUrl());
        System.out.println("   data, logs    " + s.home());
        System.out.println(" AUTH IS OFF: every service is bound to 127.0.0.1 only. Do not expose these ports.");
        System.out.println(" Ctrl-C stops everything.");
        System.out.println(line);
        System.out.flush();
    }
}
