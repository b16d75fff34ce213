package dev.athanor.uploader.discovery;

import java.util.List;

/**
 * One scan of a logdir.
 *
 * @param files          every event file found, ordered by run path then file name (TensorFlow's
 *                       names start with the creation time, so this is also write order)
 * @param problems       one sentence per directory or file below the logdir that could not be
 *                       read (it starts with the path)
 * @param assets         asset files of the runs ({@code <run>/plugins/**} and PyTorch's
 *                       {@code <run>/*.pt.trace.json[.gz]}), by run then path
 */
public record LogdirScan(List<DiscoveredFile> files, List<String> problems, List<DiscoveredAsset> assets) {

    public LogdirScan {
        files = List.copyOf(files);
        problems = List.copyOf(problems);
        assets = List.copyOf(assets);
    }

    /** A scan of event files only. */
    public LogdirScan(List<DiscoveredFile> files, List<String> problems) {
        this(files, problems, List.of());
    }
}
