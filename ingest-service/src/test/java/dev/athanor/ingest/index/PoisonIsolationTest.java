package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.testing.Events;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.UploadClient;
import dev.athanor.proto.ingest.v1.ServerInfoRequest;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nothing in one record may stop its run's index (issue 14): long tags are indexed, tags over the
 * announced bound and rows PostgreSQL refuses become located problems, and the run's other data
 * is indexed without the indexer retrying for ever.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class PoisonIsolationTest {

    private static final String FILE = "events.out.tfevents.14.host";

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IndexScheduler scheduler;

    @Inject
    MeterRegistry meters;

    @Test
    void aTagOfThreeThousandBytesIsIndexedBesideTheOthers() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("long-tag");
        long runId = client.run(exp, "r");
        // Over the ~2,700 bytes a btree entry holds (incompressible, as PostgreSQL compresses index
        // entries): a unique key on the tag itself refused the row.
        String longTag = "t/" + incompressible(2998);
        List<ByteString> records = List.of(Events.scalar("loss", 1, 0.5), Events.scalar(longTag, 1, 7.0),
                Events.scalar("loss", 2, 0.25), Events.scalar(longTag, 2, 8.0));
        upload(client, exp, records);
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));

        IndexQueries sql = new IndexQueries(dataSource);
        var scalars = sql.scalars(runId);
        assertThat(scalars).containsOnlyKeys("loss", longTag);
        assertThat(scalars.get("loss")).extracting(IndexQueries.Point::value).containsExactly(0.5, 0.25);
        assertThat(scalars.get(longTag)).extracting(IndexQueries.Point::value).containsExactly(7.0, 8.0);
        assertThat(sql.count("SELECT count(*) FROM ingest_problem WHERE run_id = ?", runId)).isZero();
        assertThat(sql.count("SELECT record_count FROM source_file WHERE run_id = ?", runId)).isEqualTo(4);
    }

    @Test
    void aTagOverTheAnnouncedBoundIsALocatedProblemRecordedOnce() throws Exception {
        IngestClient client = new IngestClient(channel);
        long bound = client.blocking.getServerInfo(ServerInfoRequest.getDefaultInstance()).getLimits().getMaxTagBytes();
        assertThat(bound).isEqualTo(65_536);
        String exp = client.experiment("over-bound-tag");
        long runId = client.run(exp, "r");
        String hugeTag = "h".repeat((int) bound + 1);
        List<ByteString> records = List.of(Events.scalar("loss", 1, 0.5), Events.scalar(hugeTag, 1, 1.0),
                Events.scalar(hugeTag, 2, 2.0), Events.scalar("loss", 2, 0.25));
        upload(client, exp, records);
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));

        IndexQueries sql = new IndexQueries(dataSource);
        assertThat(sql.scalars(runId)).containsOnlyKeys("loss");
        assertThat(sql.scalars(runId).get("loss")).hasSize(2);
        assertThat(sql.rows("SELECT file_name, file_offset, kind FROM ingest_problem WHERE run_id = ?", runId))
                .containsExactly(List.of(FILE, Events.end(0, records.subList(0, 1)), "TAG_TOO_LONG"));
        String message = sql.string("SELECT message FROM ingest_problem WHERE run_id = ?", runId);
        assertThat(message).contains((bound + 1) + " bytes").contains("max_tag_bytes").hasSizeLessThan(400);
    }

    @Test
    void anEntryPostgresRefusesIsRecordedAndPassedOverAndTheRestOfTheRunIsIndexed() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("refused-entry");
        long runId = client.run(exp, "r");
        // Stands for any row PostgreSQL cannot take: a data exception (SQLState 22023) on one tag.
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("""
                    CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF NEW.tag = 'poison' THEN
                        RAISE EXCEPTION 'refused for the test' USING ERRCODE = '22023';
                      END IF;
                      RETURN NEW;
                    END $$""");
            st.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON series FOR EACH ROW EXECUTE FUNCTION refuse_poison()");
        }
        try {
            double failuresBefore = meters.counter("athanor.index.failures").count();
            List<ByteString> good1 = List.of(Events.scalar("loss", 1, 0.5), Events.scalar("acc", 1, 0.1));
            List<ByteString> poison = List.of(Events.scalar("loss", 2, 0.4), Events.scalar("poison", 2, 9.0));
            List<ByteString> good2 = List.of(Events.scalar("loss", 3, 0.3));
            UploadClient upload = new UploadClient(client.async);
            long at = 0;
            upload.send(Events.batch(1, exp, "r", FILE, at, good1));
            at = Events.end(at, good1);
            long poisonAt = at;
            upload.send(Events.batch(2, exp, "r", FILE, at, poison));
            at = Events.end(at, poison);
            long poisonEnd = at;
            upload.send(Events.batch(3, exp, "r", FILE, at, good2));
            assertThat(upload.finish().isOk()).isTrue();
            scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));

            IndexQueries sql = new IndexQueries(dataSource);
            var scalars = sql.scalars(runId);
            assertThat(scalars).containsOnlyKeys("loss", "acc");
            // Whether the first batch was indexed with or apart from the refused one, only the refused entry is missing.
            assertThat(scalars.get("loss")).extracting(IndexQueries.Point::step).containsExactly(1L, 3L);
            assertThat(sql.rows("SELECT file_name, file_offset, kind FROM ingest_problem WHERE run_id = ?", runId))
                    .containsExactly(List.of(FILE, poisonAt, "INDEX_REFUSED"));
            assertThat(sql.string("SELECT message FROM ingest_problem WHERE run_id = ?", runId))
                    .contains("bytes " + poisonAt + " to " + poisonEnd).contains("22023")
                    .doesNotContain("INSERT");
            // Isolated in a few transactions, not retried for ever.
            assertThat(meters.counter("athanor.index.failures").count() - failuresBefore).isLessThanOrEqualTo(3);
            Thread.sleep(500);
            assertThat(meters.counter("athanor.index.failures").count() - failuresBefore).isLessThanOrEqualTo(3);
        } finally {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP TRIGGER refuse_poison ON series");
                st.execute("DROP FUNCTION refuse_poison()");
            }
        }
    }

    private static String incompressible(int length) {
        java.util.Random random = new java.util.Random(14);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static void upload(IngestClient client, String exp, List<ByteString> records) throws Exception {
        UploadClient upload = new UploadClient(client.async);
        upload.send(Events.batch(1, exp, "r", FILE, 0, records));
        assertThat(upload.finish().isOk()).isTrue();
    }
}
