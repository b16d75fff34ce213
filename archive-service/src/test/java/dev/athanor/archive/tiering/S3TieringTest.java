package dev.athanor.archive.tiering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.archive.catalog.ObjectState;
import dev.athanor.archive.layout.ArchiveLayout;
import dev.athanor.archive.share.ShareLinks;
import dev.athanor.archive.share.ShareMetrics;
import dev.athanor.archive.store.ObjectInfo;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.s3.S3ObjectStore;
import dev.athanor.archive.store.testing.S3ProxyServer;
import dev.athanor.archive.testing.HotLog;
import dev.athanor.archive.testing.TieringFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tiering loop against a real S3 API server (s3proxy in a child JVM) and embedded PostgreSQL. */
class S3TieringTest extends TieringFixture {

    static final String BUCKET = "athanor-tiering";


    @BeforeAll
    static void bucket() {
        S3ProxyServer.instance().createBucket(BUCKET);
    }

    TieringWorker worker(S3ObjectStore store, Optional<Duration> coldAfter) {
        return worker(store, lock("s3"), settings(100, coldAfter), null);
    }

    @Test
    void aFinishedExperimentEndsUpInTheBucketAsATensorBoardLogdirAndLeavesHotStorage() throws Exception {
        HotLog.Run train = hot.run("train", "FINISHED");
        HotLog.Run eval = hot.run("eval", "FINISHED");
        List<HotLog.Segment> segments = List.of(hot.segment(train, 200), hot.segment(train, 300), hot.segment(eval, 100));

        try (S3ObjectStore store = new S3ObjectStore(S3ProxyServer.instance().settings(BUCKET))) {
            PassSummary pass = worker(store, Optional.of(Duration.ofMinutes(30))).tick();

            assertThat(pass.status()).isEqualTo(PassSummary.Status.RAN);
            assertThat(pass.archived()).isEqualTo(3);
            assertThat(pass.hotDeleted()).isEqualTo(3);
            assertThat(pass.cooled()).isEqualTo(3);
            // s3proxy keeps no whole-object CRC32C, so every copy was read back and checked.
            assertThat(registry.get("athanor.archive.verifications").tag("method", "READ_BACK").counter().count())
                    .isEqualTo(3);
            String experimentFolder = new ArchiveLayout("athanor").experimentPrefix("default", hot.experiment());
            List<ObjectInfo> listed = store.list(experimentFolder);
            assertThat(listed).extracting(ObjectInfo::key).containsExactlyInAnyOrder(
                    segments.stream().map(s -> "athanor/" + s.relativePath()).toArray(String[]::new));
            assertThat(listed).extracting(ObjectInfo::tier).containsOnly(StorageTier.COLD);
            for (HotLog.Segment s : segments) {
                try (InputStream in = store.get("athanor/" + s.relativePath())) {
                    assertThat(in.readAllBytes()).isEqualTo(s.bytes());
                }
                assertThat(s.file()).doesNotExist();
                var o = catalog().objectOfSegment(s.id()).orElseThrow();
                assertThat(o.state()).isEqualTo(ObjectState.VERIFIED);
                assertThat(o.uri()).isEqualTo("s3://" + BUCKET + "/athanor/" + s.relativePath().replace(" ", "%20"));
            }
        }
    }

    @Test
    void wrongCredentialsAreAClearErrorAndNothingIsDeleted() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment s = hot.segment(run, 10);
        try (S3ObjectStore store = new S3ObjectStore(S3ProxyServer.instance().settings(BUCKET, "wrong-secret"))) {
            PassSummary pass = worker(store, Optional.empty()).tick();

            assertThat(pass.status()).isEqualTo(PassSummary.Status.STORE_UNAVAILABLE);
            assertThat(pass.error()).contains("credentials cannot use bucket '" + BUCKET + "'").contains("403");
        }
        assertThat(s.file()).exists();
        assertThat(catalog().objectOfSegment(s.id())).isEmpty();
        assertThat(hot.hotDeletedAt(s.id())).isNull();
        assertThat(registry.get("athanor.archive.failures").tag("reason", "ACCESS_DENIED").counter().count()).isEqualTo(1);
    }

    @Test
    void aMissingBucketIsAClearErrorAndNothingIsDeleted() throws Exception {
        HotLog.Run run = hot.run("r", "FINISHED");
        HotLog.Segment s = hot.segment(run, 10);
        try (S3ObjectStore store = new S3ObjectStore(S3ProxyServer.instance().settings("athanor-no-such-bucket"))) {
            PassSummary pass = worker(store, Optional.empty()).tick();

            assertThat(pass.status()).isEqualTo(PassSummary.Status.STORE_UNAVAILABLE);
            assertThat(pass.error()).contains("bucket 'athanor-no-such-bucket' does not exist");
        }
        assertThat(s.file()).exists();
        assertThat(catalog().objectOfSegment(s.id())).isEmpty();
    }

    @Test
    void signedShareLinksFetchAnArchivedExperimentWithoutCredentials() throws Exception {
        HotLog.Run train = hot.run("train", "FINISHED");
        HotLog.Segment segment = hot.segment(train, 50);
        try (S3ObjectStore store = new S3ObjectStore(S3ProxyServer.instance().settings(BUCKET))) {
            worker(store, Optional.empty()).tick();
            SimpleMeterRegistry shares = new SimpleMeterRegistry();
            ShareLinks links = new ShareLinks(store, catalog(), clock, new ShareMetrics(shares));
            ShareLinks.Share share = links.create("default", hot.experiment(), Duration.ofHours(1), "tester");
            assertThat(share.links()).hasSize(1);
            ShareLinks.Link link = share.links().getFirst();
            assertThat(link.path()).isEqualTo("train/" + segment.file().getFileName());
            assertThat(share.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
            var response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(link.url()).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(segment.bytes());

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> links.create("default", hot.experiment(),
                    Duration.ofDays(8), "tester")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT168H");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> links.create("default", "no such experiment",
                    Duration.ofHours(1), "tester")).isInstanceOf(ShareLinks.NotFound.class);
            assertThat(shares.get("athanor.archive.share.requests").tag("outcome", "created").counter().count())
                    .isEqualTo(1);
            assertThat(shares.get("athanor.archive.share.requests").tag("outcome", "invalid").counter().count())
                    .isEqualTo(1);
            assertThat(shares.get("athanor.archive.share.requests").tag("outcome", "not_found").counter().count())
                    .isEqualTo(1);
            assertThat(shares.get("athanor.archive.share.objects").counter().count()).isEqualTo(1);
            assertThat(shares.get("athanor.archive.share.bytes").counter().count()).isEqualTo(segment.bytes().length);
            assertThat(shares.get("athanor.archive.share.signing").timer().count()).isEqualTo(1);
        }
        // The filesystem store has nothing to sign.
        ShareLinks local = new ShareLinks(new dev.athanor.archive.store.fs.FilesystemObjectStore(
                Files.createDirectories(tmp.resolve("fs-archive"))), catalog(), clock, new ShareMetrics(registry));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> local.create("default", hot.experiment(),
                Duration.ofHours(1), "tester")).isInstanceOf(ShareLinks.Unsupported.class).hasMessageContaining("filesystem");
        assertThat(registry.get("athanor.archive.share.requests").tag("outcome", "unsupported").counter().count())
                .isEqualTo(1);
    }
}
