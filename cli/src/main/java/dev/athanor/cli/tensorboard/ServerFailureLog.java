package dev.athanor.cli.tensorboard;

import io.grpc.Status;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.Set;

/**
 * Says in plain words, once per kind, why the data provider refused or failed a call. TensorBoard
 * re-polls every 30 s and calls once per plugin and run, so the same refusal would otherwise be
 * repeated hundreds of times; TensorBoard itself still receives every status as it came.
 */
public final class ServerFailureLog {

    private final PrintWriter err;
    private final String dataProvider;
    private final String server;
    private final Set<Status.Code> reported = EnumSet.noneOf(Status.Code.class);

    /**
     * @param dataProvider the data provider's HOST:PORT
     * @param server       the REST server's URL (as {@code athanor login --server} takes it)
     */
    public ServerFailureLog(PrintWriter err, String dataProvider, String server) {
        this.err = err;
        this.dataProvider = dataProvider;
        this.server = server;
    }

    /** Notes the status of one forwarded call (OK and CANCELLED, TensorBoard hanging up, are not failures). */
    public void record(String method, Status status) {
        Status.Code code = status.getCode();
        if (code == Status.Code.OK || code == Status.Code.CANCELLED) {
            return;
        }
        synchronized (reported) {
            if (!reported.add(code)) {
                return;
            }
        }
        err.println("athanor tensorboard: " + explain(method, status));
        err.flush();
    }

    String explain(String method, Status status) {
        String detail = status.getDescription() == null ? "" : ": " + status.getDescription();
        return switch (status.getCode()) {
            case UNAUTHENTICATED -> "the server does not accept your token (UNAUTHENTICATED" + detail
                    + "); sign in again with: athanor login --server " + server;
            case PERMISSION_DENIED -> "you may not read this (PERMISSION_DENIED" + detail
                    + "); a reader role in the experiment's project is needed";
            case NOT_FOUND -> "the data provider did not find what TensorBoard asked for (NOT_FOUND" + detail + ")";
            case UNAVAILABLE -> "cannot reach the data provider at " + dataProvider + " (UNAVAILABLE" + detail
                    + "); is query-service running with its data-provider port open? See --data-provider";
            case UNIMPLEMENTED -> "the server at " + dataProvider + " does not serve TensorBoard's data provider ("
                    + method + " is UNIMPLEMENTED" + detail + "); is --data-provider the data-provider port?";
            case DEADLINE_EXCEEDED -> "the data provider took too long to answer " + method + " (DEADLINE_EXCEEDED"
                    + detail + ")";
            default -> "the data provider failed " + method + " (" + status.getCode() + detail + ")";
        };
    }
}
