package dev.athanor.query.profile.service;

import dev.athanor.profile.decode.ProfileFormat;
import dev.athanor.query.assets.store.RunAsset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's profiler sessions from its asset paths, as the frameworks lay them out:
 * {@code plugins/profile/<session>/<host>.xplane.pb} (TensorFlow, JAX, Keras' profile_batch) and
 * {@code plugins/profile/[<session>/]<worker>.<ts>.pt.trace.json[.gz]} (PyTorch's
 * tensorboard_trace_handler; a file right under plugins/profile/ is a session of its own).
 */
public final class ProfileFiles {

    public static final String PREFIX = "plugins/profile/";

    /** One file of a session; {@code format} empty for files that are offered but not decoded. */
    public record File(String session, String host, RunAsset asset, Optional<ProfileFormat> format) {
    }

    public record Session(String name, List<File> files) {
        /** The decodable file of a host: XPlane before PyTorch before older Chrome traces. */
        public Optional<File> trace(String host) {
            return files.stream().filter(f -> f.format().isPresent() && (host == null || f.host().equals(host)))
                    .min(Comparator.comparing(f -> f.format().get().ordinal()));
        }
    }

    private ProfileFiles() {
    }

    public static List<Session> sessions(List<RunAsset> assets) {
        Map<String, List<File>> sessions = new LinkedHashMap<>();
        for (RunAsset asset : assets) {
            if (!asset.path().startsWith(PREFIX)) {
                continue;
            }
            String rest = asset.path().substring(PREFIX.length());
            int slash = rest.indexOf('/');
            String fileName = rest.substring(rest.lastIndexOf('/') + 1);
            Optional<ProfileFormat> format = ProfileFormat.of(fileName);
            String host = format.map(f -> f.host(fileName)).orElse(fileName);
            String session = slash > 0 ? rest.substring(0, slash) : host;
            sessions.computeIfAbsent(session, s -> new ArrayList<>()).add(new File(session, host, asset, format));
        }
        List<Session> out = new ArrayList<>();
        sessions.forEach((name, files) -> out.add(new Session(name, List.copyOf(files))));
        return out;
    }
}
