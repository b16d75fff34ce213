package dev.athanor.uploader.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.MutableClock;
import dev.athanor.uploader.Problem;
import dev.athanor.uploader.tail.FileSet;
import dev.athanor.uploader.tail.ReaderPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scans look again only at what may have changed, and still notice every change within the
 * documented delay (an idle entry is looked at least every {@link LogdirRunDiscovery#maxIdleCheck}).
 * The clock is moved by hand, one poll interval per scan; it runs an hour ahead of the files' real
 * modification times, so that no directory listing counts as too recent to trust (except where a
 * test wants that).
 */
class IncrementalScanTest {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final String FILE = "events.out.tfevents.1.host";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().plusSeconds(3600));
    private LogdirRunDiscovery discovery;
    private final int idlePolls = (int) (LogdirRunDiscovery.maxIdleCheck(POLL).toMillis() / POLL.toMillis());

    @BeforeEach
    void logdir() throws IOException {
        for (int r = 0; r < 20; r++) {
            write("run-" + r + "/" + FILE, 10);
        }
        discovery = new LogdirRunDiscovery(dir, POLL, clock);
    }

    private void write(String relative, int bytes) throws IOException {
        Path path = dir.resolve(relative);
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[bytes]);
    }

    private void append(String relative, int bytes) throws IOException {
        Files.write(dir.resolve(relative), new byte[bytes], StandardOpenOption.APPEND);
    }

    private LogdirScan next() throws IOException {
        clock.advance(POLL);
        return discovery.scan();
    }

    private static Optional<Long> size(LogdirScan scan, String run) {
        return scan.files().stream().filter(f -> f.runPath().equals(run)).map(DiscoveredFile::size).findFirst();
    }

    /** Scans (one poll apart) until the condition holds; how many it took, or -1 after twice the longest idle wait. */
    private int scansUntil(ScanCondition condition) throws IOException {
        for (int scans = 1; scans <= 2 * idlePolls + 2; scans++) {
            if (condition.holds(next())) {
                return scans;
            }
        }
        return -1;
    }

    private interface ScanCondition {
        boolean holds(LogdirScan scan);
    }

    /** Scans until every entry has been idle for long: nothing changes meanwhile. */
    private void goIdle() throws IOException {
        for (int i = 0; i < 4 * idlePolls; i++) {
            next();
        }
    }

    @Test
    void anIdleLogdirCostsFewLooksPerScanAndAnActiveFileIsLookedAtEveryScan() throws IOException {
        discovery.scan();
        goIdle();
        long before = discovery.statCalls();
        for (int i = 0; i < idlePolls; i++) {
            next();
        }
        long idleLooks = discovery.statCalls() - before;
        // 41 entries (the logdir, 20 runs, 20 files), each looked at about once per longest idle wait,
        // the logdir itself at every scan: far fewer than looking at all of them every scan (410).
        assertThat(idleLooks).isLessThan(41 * 2 + idlePolls).isGreaterThanOrEqualTo(idlePolls);

        // Once it grows, a file is looked at every scan while it keeps growing.
        append("run-3/" + FILE, 1);
        assertThat(scansUntil(scan -> size(scan, "run-3").equals(Optional.of(11L)))).isPositive();
        for (int i = 1; i <= 5; i++) {
            append("run-3/" + FILE, 1);
            assertThat(size(next(), "run-3")).contains(11L + i);
        }
    }

    @Test
    void aFileAppendedToAfterBeingIdleIsSeenWithinTheLongestIdleWait() throws IOException {
        discovery.scan();
        goIdle();
        append("run-7/" + FILE, 5);
        int scans = scansUntil(scan -> size(scan, "run-7").equals(Optional.of(15L)));
        assertThat(scans).isBetween(1, idlePolls + 1);
    }

    @Test
    void scanningEverythingSeesAnIdleFilesAppendAtOnce() throws IOException {
        discovery.scan();
        goIdle();
        append("run-7/" + FILE, 5);
        clock.advance(POLL);
        assertThat(size(discovery.scanEverything(), "run-7")).contains(15L);
    }

    @Test
    void newRunsAndNewFilesInIdleRunsAppear() throws IOException {
        discovery.scan();
        goIdle();
        write("run-new/" + FILE, 3);
        assertThat(scansUntil(scan -> size(scan, "run-new").isPresent())).isBetween(1, idlePolls + 1);

        goIdle();
        write("run-4/events.out.tfevents.2.host", 4);
        int scans = scansUntil(scan -> scan.files().stream()
                .anyMatch(f -> f.runPath().equals("run-4") && f.fileName().equals("events.out.tfevents.2.host")));
        assertThat(scans).isBetween(1, idlePolls + 1);
    }

    @Test
    void goneRunsAndFilesDisappear() throws IOException {
        discovery.scan();
        goIdle();
        Files.delete(dir.resolve("run-5/" + FILE));
        Files.delete(dir.resolve("run-5"));
        Files.delete(dir.resolve("run-6/" + FILE));
        assertThat(scansUntil(scan -> size(scan, "run-5").isEmpty() && size(scan, "run-6").isEmpty()))
                .isBetween(1, idlePolls + 1);
    }

    @Test
    void aTruncatedOrReplacedFileIsReportedAsBeforeWithinTheLongestIdleWait() throws IOException {
        List<Problem> problems = new ArrayList<>();
        FileSet files = new FileSet(new ReaderPool(4), problems::add);
        files.apply(discovery.scan());
        goIdle();
        Files.write(dir.resolve("run-1/" + FILE), new byte[4]); // truncated in place and rewritten shorter
        Path copy = Files.write(dir.resolve("copy"), new byte[2]);
        Files.move(copy, dir.resolve("run-2/" + FILE), StandardCopyOption.REPLACE_EXISTING); // replaced by a rename
        int scans = scansUntil(scan -> {
            files.apply(scan);
            return problems.size() == 2;
        });
        assertThat(scans).isBetween(1, idlePolls + 1);
        assertThat(problems).extracting(Problem::kind).containsOnly(Problem.Kind.FILE_SHRANK);
        assertThat(problems).extracting(Problem::runPath).containsExactlyInAnyOrder("run-1", "run-2");
    }

    @Test
    void aDirectoryListedTooSoonAfterItChangedIsListedAgain() throws IOException {
        // The clock at the files' real time: the run's listing is as recent as its last change.
        MutableClock now = new MutableClock(Instant.now());
        LogdirRunDiscovery fresh = new LogdirRunDiscovery(dir, POLL, now);
        Path run = dir.resolve("run-0");
        fresh.scan();
        FileTime listed = Files.getLastModifiedTime(run);
        // A file created within the file system's time granularity: the directory's time does not move.
        write("run-0/events.out.tfevents.9.host", 1);
        Files.setLastModifiedTime(run, listed);
        now.advance(POLL);
        assertThat(fresh.scan().files()).anyMatch(f -> f.fileName().equals("events.out.tfevents.9.host"));
    }
}
