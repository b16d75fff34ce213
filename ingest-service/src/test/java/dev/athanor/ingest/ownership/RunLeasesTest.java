package dev.athanor.ingest.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.ingest.testing.IndexDatabase;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Run leases against a real PostgreSQL with the index schema: one holder at a time, takeover only
 * after expiry or release, and a fencing epoch that grows on every change so a replica that lost
 * its lease can tell, and is told, that it may no longer append.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunLeasesTest {

    private static final Duration SHORT = Duration.ofMillis(1500);

    private IndexDatabase db;

    @BeforeAll
    void start() {
        db = IndexDatabase.start();
    }

    @AfterAll
    void stop() throws IOException {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theFirstReplicaHoldsTheRunAndAnotherIsToldWhoAndWhere() throws Exception {
        long run = newRun();
        RunLease a = replica("ingest-0", Duration.ofSeconds(30)).acquire(run);
        assertThat(a.epoch()).isEqualTo(1);
        assertThat(a.isValid()).isTrue();

        assertThatThrownBy(() -> replica("ingest-1", Duration.ofSeconds(30)).acquire(run))
                .isInstanceOfSatisfying(LeaseRefusedException.class, e -> {
                    assertThat(e.holder().owner()).isEqualTo("ingest-0");
                    assertThat(e.holder().ownerAddress()).isEqualTo("ingest-0:9095");
                    assertThat(e.holder().epoch()).isEqualTo(1);
                })
                .hasMessageContaining("owned by ingest replica ingest-0");
    }

    @Test
    void anExpiredLeaseIsTakenOverUnderTheNextEpochAndTheOldHolderLearnsItLostIt() throws Exception {
        long run = newRun();
        RunLeases zero = replica("ingest-0", SHORT);
        RunLeases one = replica("ingest-1", SHORT);
        RunLease old = zero.acquire(run);

        Thread.sleep(SHORT.toMillis() + 100);
        assertThat(old.isValid()).as("valid locally past the TTL").isFalse();
        RunLease taken = one.acquire(run);
        assertThat(taken.epoch()).isEqualTo(old.epoch() + 1);

        assertThat(zero.renew(List.of(old))).as("lost on renewal").containsExactly(old);
        assertThat(old.isValid()).isFalse();
        assertThatThrownBy(() -> zero.acquire(run)).isInstanceOf(LeaseRefusedException.class);
        assertThat(one.holder(run)).get().extracting(LeaseHolder::owner, LeaseHolder::epoch).containsExactly("ingest-1", 2L);
    }

    @Test
    void aReleasedRunIsTakenAtOnceAndEpochsOnlyGrow() throws Exception {
        long run = newRun();
        RunLeases zero = replica("ingest-0", Duration.ofSeconds(30));
        RunLeases one = replica("ingest-1", Duration.ofSeconds(30));
        RunLease first = zero.acquire(run);
        zero.release(first);
        assertThat(first.isValid()).isFalse();

        RunLease second = one.acquire(run);
        assertThat(second.epoch()).isEqualTo(2);
        one.release(second);
        RunLease third = zero.acquire(run);
        assertThat(third.epoch()).isEqualTo(3);
    }

    @Test
    void aRestartedHolderTakesANewEpochSoItsFormerSelfIsFenced() throws Exception {
        long run = newRun();
        RunLeases before = replica("ingest-0", Duration.ofSeconds(30));
        RunLease old = before.acquire(run);
        RunLease restarted = replica("ingest-0", Duration.ofSeconds(30)).acquire(run);

        assertThat(restarted.epoch()).isEqualTo(old.epoch() + 1);
        assertThat(before.renew(List.of(old))).containsExactly(old);
        assertThat(old.isValid()).isFalse();
    }

    @Test
    void oneRenewalExtendsEveryHeldLeaseAndReportsOnlyTheLostOnes() throws Exception {
        RunLeases zero = replica("ingest-0", SHORT);
        RunLease kept = zero.acquire(newRun());
        long movedRun = newRun();
        RunLease moved = zero.acquire(movedRun);
        zero.release(moved);
        replica("ingest-1", SHORT).acquire(movedRun);

        for (int i = 0; i < 4; i++) { // past the TTL several times over, renewed in time
            Thread.sleep(SHORT.toMillis() / 3);
            Set<RunLease> lost = zero.renew(List.of(kept, moved));
            assertThat(lost).containsExactly(moved);
        }
        assertThat(kept.isValid()).isTrue();
        assertThat(moved.isValid()).isFalse();
    }

    @Test
    void theKeeperRenewsInTheBackgroundAndTellsOfTakeovers() throws Exception {
        long run = newRun();
        List<RunLease> lostOnes = new CopyOnWriteArrayList<>();
        try (LeaseKeeper keeper = new LeaseKeeper(replica("ingest-0", SHORT), lostOnes::add)) {
            RunLease lease = keeper.lease(run);
            assertThat(keeper.lease(run)).as("held, not acquired again").isSameAs(lease);
            Thread.sleep(SHORT.toMillis() * 3);
            assertThat(lease.isValid()).as("renewed in the background past three TTLs").isTrue();
            assertThat(keeper.lease(run)).isSameAs(lease);

            // Another replica takes the run by force (as after this one was partitioned away).
            db.update("UPDATE run_lease SET owner = 'ingest-9', epoch = epoch + 1, expires_at = now() + interval '1 minute'"
                    + " WHERE run_id = " + run);
            Thread.sleep(SHORT.toMillis());
            assertThat(lostOnes).containsExactly(lease);
            assertThat(lease.isValid()).isFalse();
            assertThatThrownBy(() -> keeper.lease(run)).isInstanceOf(LeaseRefusedException.class);
        }
    }

    @Test
    void leasesStopBeingValidLocallyWhenRenewalsCannotReachTheDatabase() throws Exception {
        long run = newRun();
        RunLease lease;
        try (LeaseKeeper keeper = new LeaseKeeper(replica("ingest-0", SHORT), r -> { })) {
            lease = keeper.lease(run);
        } // the keeper stops renewing, as it would with PostgreSQL unreachable
        assertThat(lease.isValid()).isTrue();
        Thread.sleep(SHORT.toMillis());
        assertThat(lease.isValid()).as("past 90 % of the TTL without a renewal").isFalse();
    }

    @Test
    void theLocalDeadlineKeepsAMarginBelowTheDatabasesExpiry() {
        RunLease lease = new RunLease(1, "n", 1, 0, Duration.ofSeconds(30));
        assertThat(lease.isValid(Duration.ofSeconds(26).toNanos())).isTrue();
        assertThat(lease.isValid(Duration.ofSeconds(27).toNanos())).isFalse();
        lease.extend(Duration.ofSeconds(20).toNanos(), Duration.ofSeconds(30));
        assertThat(lease.isValid(Duration.ofSeconds(46).toNanos())).isTrue();
        lease.markLost();
        lease.extend(Duration.ofSeconds(40).toNanos(), Duration.ofSeconds(30));
        assertThat(lease.isValid(Duration.ofSeconds(41).toNanos())).as("lost stays lost").isFalse();
    }

    private RunLeases replica(String node, Duration ttl) {
        return new RunLeases(db.dataSource(), node, node + ":9095", ttl);
    }

    private long newRun() throws SQLException {
        return db.newRun();
    }
}
