package dev.athanor.query.profile.service;

import dev.athanor.profile.decode.ProfileFormat;
import dev.athanor.query.assets.store.RunAsset;
import dev.athanor.wire.WireNames;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's profiler sessions from its asset paths, as the frameworks lay them out:
 * <ul>
 * <li>{@code plugins/profile/<session>/<host>.xplane.pb} (TensorFlow, JAX, Keras' profile_batch; also
 *     {@code <host>.trace.json.gz} and any PyTorch trace put there): the directory is the session;</li>
 * <li>{@code <worker>.<timestamp>.pt.trace.json[.gz]} right in the run directory, where PyTorch's
 *     {@code tensorboard_trace_handler} writes them (or right under {@code plugins/profile/}): one
 *     session per timestamp, named by it (the digits of the file name), host = the worker, as
 *     PyTorch's TensorBoard plugin shows a worker's spans; workers that wrote at the same
 *     timestamp share the session.</li>
 * </ul>
 */
public final class ProfileFiles {

    public static final String PREFIX = "plugins/profile/";

    /** {@code <worker>.<timestamp>}: what a PyTorch trace's name holds before its suffix. */
    private static final Pattern WORKER_TIMESTAMP = Pattern.compile("(.+)\\.(\\d{10,19})");
    /** TensorFlow's session directories: the capture's UTC time. */
    private static final DateTimeFormatter TF_SESSION = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss");

    /** One file of a session; {@code format} empty for files that are offered but not decoded. */
    public record File(String session, String host, RunAsset asset, Optional<ProfileFormat> format) {
    }

    /** A session; {@code startedAt} when its name tells when it was captured. */
    public record Session(String name, Optional<Instant> startedAt, List<File> files) {
        /** The decodable file of a host: XPlane before PyTorch before older Chrome traces. */
        public Optional<File> trace(String host) {
            return files.stream().filter(f -> f.format().isPresent() && (host == null || f.host().equals(host)))
                    .min(Comparator.comparing(f -> f.format().get().ordinal()));
        }
    }

    private ProfileFiles() {
    }

    /** Whether the asset path is a profiler file (the rest of a run's assets are other plugins'). */
    public static boolean isProfileFile(String path) {
        return path.startsWith(PREFIX) || (path.indexOf('/') < 0 && WireNames.isRunRootTrace(path));
    }

    public static List<Session> sessions(List<RunAsset> assets) {
        Map<String, List<File>> sessions = new LinkedHashMap<>();
        for (RunAsset asset : assets.stream().sorted(Comparator.comparing(RunAsset::path)).toList()) {
            if (!isProfileFile(asset.path())) {
                continue;
            }
            String rest = asset.path().startsWith(PREFIX) ? asset.path().substring(PREFIX.length()) : asset.path();
            int slash = rest.indexOf('/');
            String fileName = rest.substring(rest.lastIndexOf('/') + 1);
            Optional<ProfileFormat> format = ProfileFormat.of(fileName);
            String host = format.map(f -> f.host(fileName)).orElse(fileName);
            String session = host;
            if (slash > 0) {
                session = rest.substring(0, slash);
            } else if (format.orElse(null) == ProfileFormat.PYTORCH_TRACE) {
                Matcher m = WORKER_TIMESTAMP.matcher(host);
                if (m.matches()) {
                    host = m.group(1);
                    session = m.group(2);
                }
            }
            sessions.computeIfAbsent(session, s -> new ArrayList<>()).add(new File(session, host, asset, format));
        }
        List<Session> out = new ArrayList<>();
        sessions.forEach((name, files) -> out.add(new Session(name, startedAt(name), List.copyOf(files))));
        return out;
    }

    /**
     * When a session was captured, from its name: TensorFlow's {@code yyyy_MM_dd_HH_mm_ss} (UTC), or
     * PyTorch's timestamp (ns since the epoch in torch 2; ms in older versions).
     */
    static Optional<Instant> startedAt(String session) {
        if (session.matches("\\d{19}")) {
            long ns = Long.parseLong(session);
            return Optional.of(Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L));
        }
        if (session.matches("\\d{13}")) {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(session)));
        }
        if (session.matches("\\d{4}(_\\d{2}){5}")) {
            try {
                return Optional.of(LocalDateTime.parse(session, TF_SESSION).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
