package dev.athanor.auth;

import io.grpc.ServerCall;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Holds a call's inbound events while its token is verified asynchronously (a key refresh from the
 * realm), then replays them to the real listener in order.
 */
final class DeferredListener<ReqT> extends ServerCall.Listener<ReqT> {

    private final List<Consumer<ServerCall.Listener<ReqT>>> pending = new ArrayList<>();
    private ServerCall.Listener<ReqT> delegate;

    synchronized void start(ServerCall.Listener<ReqT> listener) {
        delegate = listener;
        pending.forEach(event -> event.accept(listener));
        pending.clear();
    }

    private synchronized void on(Consumer<ServerCall.Listener<ReqT>> event) {
        if (delegate != null) {
            event.accept(delegate);
        } else {
            pending.add(event);
        }
    }

    @Override
    public void onMessage(ReqT message) {
        on(l -> l.onMessage(message));
    }

    @Override
    public void onHalfClose() {
        on(ServerCall.Listener::onHalfClose);
    }

    @Override
    public void onCancel() {
        on(ServerCall.Listener::onCancel);
    }

    @Override
    public void onComplete() {
        on(ServerCall.Listener::onComplete);
    }

    @Override
    public void onReady() {
        on(ServerCall.Listener::onReady);
    }
}
