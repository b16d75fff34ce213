package dev.athanor.cli.tensorboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.athanor.cli.client.AthanorClient;
import dev.athanor.cli.client.ClientFailure;
import dev.athanor.cli.client.ExperimentRef;
import dev.athanor.cli.client.FailureReport;
import dev.athanor.cli.client.Query;
import dev.athanor.cli.client.Resolver;
import dev.athanor.cli.client.ServerOptions;
import dev.athanor.proto.tensorboard.data.GetExperimentRequest;
import dev.athanor.proto.tensorboard.data.TensorBoardDataProviderGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code athanor tensorboard}: stock TensorBoard, from the user's own Python, showing one Athanor
 * experiment through query-service's data-provider protocol, via a loopback proxy that adds the
 * user's token and answers TensorBoard's default experiment with the chosen one.
 */
@Command(name = "tensorboard", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Opens an experiment in stock TensorBoard (your own installation, 2.x with --grpc_data_provider). "
                + "TensorBoard reads query-service's data-provider port through a proxy on 127.0.0.1 that adds your "
                + "token (--token-file, ATHANOR_TOKEN or `athanor login`, refreshed) and shows the chosen experiment "
                + "at TensorBoard's root URL. TensorBoard listens on 127.0.0.1 only. Ctrl-C stops both.",
            "",
            "TensorBoard flags go after --, e.g. `-- --samples_per_plugin images=100` (with a data provider, "
                + "0 asks for no points; give a large number to see every point)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:TensorBoard ran and was stopped (Ctrl-C) or exited cleanly",
            "1:TensorBoard did not start, or exited with an error",
            "2:usage or server error before TensorBoard started: bad option, experiment not found or not readable, "
                + "no TensorBoard installed, data provider unreachable"
        })
public final class TensorBoardCommand implements Callable<Integer> {

    private static final String COMMAND = "athanor tensorboard";
    /** Flags this command sets itself; --host and --bind_all would expose the proxy's token to the network. */
    private static final Set<String> OWN_FLAGS = Set.of("--grpc_data_provider", "--host", "--bind_all", "--port",
            "--logdir", "--logdir_spec", "--db");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration PREFLIGHT_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--experiment", required = true, paramLabel = "NAME|ID", description = "The experiment to show.")
    String experiment;

    @Option(names = "--project", paramLabel = "NAME", defaultValue = "${env:ATHANOR_PROJECT}",
            description = "Look the experiment name up in this project only (default: ATHANOR_PROJECT, if set).")
    String project;

    @Option(names = "--port", paramLabel = "P", defaultValue = "6006",
            description = "TensorBoard's HTTP port on 127.0.0.1; 0 for any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--python", paramLabel = "PY",
            description = "A Python with the tensorboard package (default: " + TensorBoardInstallation.PYTHON_ENV
                    + ", else `tensorboard` on PATH).")
    String python;

    @Option(names = "--data-provider", paramLabel = "HOST:PORT",
            description = "query-service's data-provider (gRPC) address (default: the --server host with the port "
                    + "its /api/v1/info advertises, else " + DataProviderAddress.DEFAULT_PORT + ").")
    String dataProvider;

    @Parameters(paramLabel = "TENSORBOARD_FLAG", arity = "0..*",
            description = "More flags for TensorBoard, after --.")
    List<String> tensorBoardFlags;

    @Mixin
    ServerOptions server;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> flags = tensorBoardFlags == null ? List.of() : tensorBoardFlags;
        DataProviderProxy proxy = null;
        try {
            checkFlags(flags);
            AthanorClient client = server.connect();
            ExperimentRef ref = new Resolver(client).experiment(experiment, project);
            DataProviderAddress address = DataProviderAddress.of(dataProvider, client.server(), info(client));
            TensorBoardInstallation installation = TensorBoardInstallation.find(python, System.getenv());
            ServerFailureLog failures = new ServerFailureLog(err, address.target(), client.server());
            proxy = DataProviderProxy.start(address, new ExperimentScope(Long.toString(ref.id()), ref.label()),
                    server.tokens(), failures);
            preflight(proxy);
            return serve(installation, proxy, ref, flags, out, err);
        } catch (ClientFailure failure) {
            FailureReport.print(err, COMMAND, failure, Map.of());
            return 2;
        } catch (IOException e) {
            err.println(COMMAND + ": " + e.getMessage());
            return 1;
        } finally {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    private void checkFlags(List<String> flags) {
        for (String flag : flags) {
            String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
            if (OWN_FLAGS.contains(name)) {
                throw new ClientFailure(ClientFailure.Kind.USAGE, "TensorBoard's " + name + " is set by this command"
                        + (name.equals("--port") ? "; use --port before --" : " (TensorBoard stays on 127.0.0.1, "
                        + "since whoever reaches it reads with your token)"));
            }
        }
    }

    /** The server's public info, or null when it has none (an older server): the address then falls back. */
    private static JsonNode info(AthanorClient client) {
        try {
            return client.get("/api/v1/info", Query.of());
        } catch (ClientFailure older) {
            return null;
        }
    }

    /** One GetExperiment through the proxy, so refusals and an unreachable server stop us before TensorBoard starts. */
    private static void preflight(DataProviderProxy proxy) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(proxy.address()).usePlaintext().build();
        try {
            TensorBoardDataProviderGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(PREFLIGHT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .getExperiment(GetExperimentRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            // The proxy's failure log has said why in plain words.
            throw new ClientFailure(ClientFailure.Kind.BAD_RESPONSE, "not starting TensorBoard: the data provider "
                    + "refused or failed GetExperiment (" + e.getStatus().getCode() + ")");
        } finally {
            channel.shutdownNow();
        }
    }

    private int serve(TensorBoardInstallation installation, DataProviderProxy proxy, ExperimentRef ref,
                      List<String> flags, PrintWriter out, PrintWriter err) throws IOException {
        List<String> command = new ArrayList<>(List.of("--grpc_data_provider", proxy.address(), "--host", "127.0.0.1",
                "--port", Integer.toString(port)));
        command.addAll(flags);
        TensorBoardProcess tensorBoard = TensorBoardProcess.start(installation, command, err);
        // Ctrl-C: the JVM exits through its hooks; stop TensorBoard there (the proxy dies with the JVM).
        Thread stopOnExit = new Thread(tensorBoard::close, "athanor-tensorboard-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            String url = tensorBoard.awaitReady(START_TIMEOUT);
            out.println("TensorBoard shows experiment " + ref.label() + " at " + url);
            out.println("(Ctrl-C stops TensorBoard and the proxy)");
            out.flush();
            int exit = tensorBoard.waitFor();
            if (exit != 0) {
                err.println(COMMAND + ": TensorBoard exited with code " + exit);
                return 1;
            }
            return 0;
        } catch (InterruptedException stopped) {
            // Stopped as by Ctrl-C; the flag is not set again so that TensorBoard gets its graceful stop.
            return 0;
        } finally {
            tensorBoard.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException exiting) {
                // The JVM is exiting: the hook stops TensorBoard.
            }
        }
    }
}
