package dev.athanor.uploader.session;

import dev.athanor.uploader.Problem;
import dev.athanor.uploader.discovery.DiscoveredAsset;
import dev.athanor.uploader.discovery.DiscoveredFile;
import dev.athanor.uploader.discovery.LogdirScan;
import dev.athanor.uploader.tail.ProblemSink;
import dev.athanor.wire.WireNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runs (and event files) this upload leaves out because the server does not take their names:
 * a run directory with a control character or a too-long name is one skipped run, reported once,
 * while the rest of the logdir uploads. Names are checked with the ingest API's own rules before
 * anything is sent; a refusal the server makes anyway (its rules may be newer) is recorded the same
 * way.
 */
final class RunRefusals {

    private final ProblemSink problems;
    private final Map<String, String> refusedRuns = new HashMap<>();
    private final Set<String> refusedFiles = new HashSet<>();

    RunRefusals(ProblemSink problems) {
        this.problems = problems;
    }

    /** The scan without the files and assets of refused runs, and without event files whose names are refused. */
    LogdirScan admit(LogdirScan scan) {
        List<DiscoveredFile> files = new ArrayList<>(scan.files().size());
        for (DiscoveredFile file : scan.files()) {
            if (admitsRun(file.runPath()) && admitsFile(file)) {
                files.add(file);
            }
        }
        List<DiscoveredAsset> assets = new ArrayList<>(scan.assets().size());
        for (DiscoveredAsset asset : scan.assets()) {
            if (admitsRun(asset.runPath())) {
                assets.add(asset);
            }
        }
        return new LogdirScan(files, scan.problems(), assets);
    }

    /** The server refused to create this run; its files are left out from now on. */
    void refusedByServer(String runPath, String serverMessage) {
        refuse(runPath, "run '" + WireNames.printable(runPath) + "' was refused by the server (" + serverMessage
                + "); none of its files were uploaded");
    }

    boolean isRefused(String runPath) {
        return refusedRuns.containsKey(runPath);
    }

    private boolean admitsRun(String runPath) {
        if (refusedRuns.containsKey(runPath)) {
            return false;
        }
        String problem = WireNames.runPathProblem(runPath);
        if (problem == null) {
            return true;
        }
        refuse(runPath, problem + "; the server does not take this name, so none of the run's files were uploaded");
        return false;
    }

    private boolean admitsFile(DiscoveredFile file) {
        String problem = WireNames.fileNameProblem(file.fileName());
        if (problem == null) {
            return true;
        }
        if (refusedFiles.add(file.runPath() + '\0' + file.fileName())) {
            problems.report(new Problem(Problem.Kind.NAME_REFUSED, file.runPath(), file.displayName(), -1,
                    file.path() + ": " + problem + "; the server does not take this name, so the file was not uploaded"));
        }
        return false;
    }

    private void refuse(String runPath, String message) {
        if (refusedRuns.putIfAbsent(runPath, message) == null) {
            problems.report(new Problem(Problem.Kind.NAME_REFUSED, runPath, WireNames.printable(runPath), -1, message));
        }
    }
}
