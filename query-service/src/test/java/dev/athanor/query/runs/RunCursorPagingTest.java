package dev.athanor.query.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.querylang.Parser;
import dev.athanor.query.runs.store.PgRunStore;
import dev.athanor.query.runs.store.Run;
import dev.athanor.query.runs.store.RunCursor;
import dev.athanor.query.runs.store.RunListQuery;
import dev.athanor.query.runs.store.RunPage;
import dev.athanor.query.runs.store.RunPaging;
import dev.athanor.query.runs.store.RunStore;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PgStores;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Keyset paging of runs: following {@code next} visits every matching run exactly once, in the order
 * offset paging gives, whatever the sort's direction, its ties and the runs lacking the sort key
 * (which sort last both ways); a cursor that this listing did not write is bad input.
 */
class RunCursorPagingTest {

    private static final RunStore store = new PgRunStore(PgStores.jdbc());
    private static long experiment;
    private static long other;

    /**
     * 23 runs: lr from three values (ties), missing on some and JSON null on one; acc@last with
     * ties, NaN on one (reads as missing), missing on some; start times with ties and nulls; names
     * that sort naturally (run-2 before run-10).
     */
    @BeforeAll
    static void createRuns() {
        IndexTestData data = PgStores.data();
        experiment = data.experiment(IndexTestData.unique("cursor"));
        other = data.experiment(IndexTestData.unique("cursor-other"));
        double[] lrs = {0.1, 0.01, 0.001};
        for (int i = 0; i < 23; i++) {
            String hparams = i % 7 == 3 ? "{}" : i == 5 ? "{\"lr\": null}" : "{\"lr\": " + lrs[i % 3] + "}";
            Instant started = i % 5 == 0 ? null : Instant.parse("2024-01-01T00:00:00Z").plusSeconds(3600L * (i % 4));
            long run = data.run(experiment, "run-" + i, i % 2 == 0 ? "FINISHED" : "RUNNING", started, hparams);
            if (i % 6 != 1) {
                double last = i == 8 ? Double.NaN : (i % 4) * 0.25;
                data.scalarSeries(run, "acc", new double[] {0.1, last}, 2);
            }
        }
        data.run(other, "elsewhere", "RUNNING", null, "{\"lr\": 0.1}");
    }

    private static RunListQuery query(String filter, String sort) {
        return new RunListQuery(experiment, null, filter == null ? null : Parser.parseFilter("filter", filter),
                sort == null ? List.of() : Parser.parseSort("sort", sort), List.of());
    }

    private static List<Long> byOffset(RunListQuery query) {
        return store.list(query, RunPaging.first(1000)).items().stream().map(Run::id).toList();
    }

    private static List<Long> byCursor(RunListQuery query, int limit) {
        List<Long> ids = new ArrayList<>();
        RunPage page = store.list(query, RunPaging.first(limit));
        ids.addAll(page.items().stream().map(Run::id).toList());
        int pages = 1;
        while (page.next() != null) {
            assertThat(page.items()).hasSize(limit);
            page = store.list(query, new RunPaging(0, RunCursor.decode(page.next()), limit, false));
            assertThat(page.total()).as("a cursor page is not counted unless asked").isNull();
            assertThat(page.offset()).isNull();
            assertThat(page.nextOffset()).isNull();
            ids.addAll(page.items().stream().map(Run::id).toList());
            assertThat(++pages).as("paging ends").isLessThan(100);
        }
        return ids;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hparams.lr", "-hparams.lr", "metrics.acc", "-metrics.acc", "-metrics.acc,hparams.lr",
            "hparams.lr,-metrics.acc@max", "started", "-started", "name", "-name", "-status,metrics.acc@count",
            "metrics.acc@count", "id", "-id"})
    void followingNextVisitsEveryRunOnceInTheOffsetOrder(String sort) {
        RunListQuery query = query(null, sort.isEmpty() ? null : sort);
        List<Long> all = byOffset(query);
        assertThat(all).hasSize(23);
        for (int limit : new int[] {1, 2, 5, 22, 23}) {
            List<Long> paged = byCursor(query, limit);
            assertThat(paged).as("sort %s, limit %d", sort, limit).isEqualTo(all);
        }
    }

    @Test
    void runsLackingTheKeySortLastInBothDirectionsAndTheCursorPassesThem() {
        for (String sort : List.of("metrics.acc", "-metrics.acc")) {
            List<Run> runs = store.list(query(null, sort), RunPaging.first(100)).items();
            List<String> tail = runs.subList(runs.size() - 5, runs.size()).stream().map(Run::path).toList();
            assertThat(tail).as(sort).containsExactlyInAnyOrder("run-1", "run-7", "run-13", "run-19", "run-8");
            assertThat(byCursor(query(null, sort), 3)).isEqualTo(runs.stream().map(Run::id).toList());
        }
    }

    /**
     * A sort by one metric's last value alone is read from the series index in two steps (the runs
     * with a value, then those lacking it); the same sort with the id as an explicit second key takes
     * the general statement. Every offset page, and the cursor pages, agree between the two, with and
     * without a filter, in both directions, across the step from runs with a value to those without.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "hparams.lr < 0.05", "hparams.lr = null", "status = \"running\""})
    void aSortByOneMetricReadFromItsIndexGivesTheGeneralStatementsPages(String filter) {
        for (String sort : List.of("metrics.acc", "-metrics.acc", "metrics.acc@last")) {
            RunListQuery walked = query(filter.isEmpty() ? null : filter, sort);
            RunListQuery general = query(filter.isEmpty() ? null : filter, sort + ",id");
            List<Long> all = byOffset(general);
            assertThat(byOffset(walked)).as("%s / %s", filter, sort).isEqualTo(all);
            for (int offset = 0; offset <= all.size() + 1; offset++) {
                for (int limit : new int[] {1, 3}) {
                    RunPage page = store.list(walked, new RunPaging(offset, null, limit, true));
                    assertThat(page.items()).extracting(Run::id).as("%s / %s, offset %d, limit %d", filter, sort, offset, limit)
                            .isEqualTo(all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size())));
                    assertThat(page.total()).isEqualTo(all.size());
                    assertThat(page.nextOffset()).isEqualTo(offset + limit < all.size() ? offset + limit : null);
                }
            }
            for (int limit : new int[] {1, 2, 4}) {
                assertThat(byCursor(walked, limit)).as("%s / %s by cursor, limit %d", filter, sort, limit).isEqualTo(all);
            }
        }
    }

    @Test
    void aFilteredListingPagesTheMatchesOnlyAndCountsTheFirstPage() {
        RunListQuery query = query("hparams.lr < 0.05", "-metrics.acc");
        RunPage first = store.list(query, RunPaging.first(2));
        assertThat(first.total()).isEqualTo(byOffset(query).size());
        assertThat(first.offset()).isZero();
        assertThat(first.nextOffset()).isEqualTo(2);
        assertThat(byCursor(query, 2)).isEqualTo(byOffset(query));
        RunPage counted = store.list(query, new RunPaging(0, RunCursor.decode(first.next()), 2, true));
        assertThat(counted.total()).as("count=exact on a cursor page counts every match, not those after it")
                .isEqualTo(first.total());
        assertThat(store.list(query, new RunPaging(0, null, 2, false)).total()).isNull();
    }

    @Test
    void offsetPagingStillWorksAndItsPagesCarryACursorToo() {
        RunListQuery query = query(null, "hparams.lr");
        List<Long> all = byOffset(query);
        RunPage page = store.list(query, new RunPaging(10, null, 5, true));
        assertThat(page.items()).extracting(Run::id).isEqualTo(all.subList(10, 15));
        assertThat(page.total()).isEqualTo(23);
        assertThat(page.nextOffset()).isEqualTo(15);
        RunPage after = store.list(query, new RunPaging(0, RunCursor.decode(page.next()), 5, false));
        assertThat(after.items()).extracting(Run::id).isEqualTo(all.subList(15, 20));
        RunPage beyond = store.list(query, new RunPaging(40, null, 5, true));
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.total()).isEqualTo(23);
        assertThat(beyond.next()).isNull();
        assertThat(beyond.nextOffset()).isNull();
    }

    @Test
    void aCursorOfAnotherListingOrWithForgedKeysIsBadInputNamingTheParameter() {
        RunListQuery byLr = query(null, "hparams.lr");
        String next = store.list(byLr, RunPaging.first(2)).next();
        assertBad(query(null, "-hparams.lr"), RunCursor.decode(next), "another listing");
        assertBad(query("hparams.lr > 0", "hparams.lr"), RunCursor.decode(next), "another listing");
        assertBad(new RunListQuery(other, null, null, Parser.parseSort("sort", "hparams.lr"), List.of()),
                RunCursor.decode(next), "another listing");
        RunListQuery byAcc = query(null, "metrics.acc");
        String fingerprint = RunCursor.fingerprint(byAcc);
        for (String forged : List.of("abc", "1e999", "1e-999", "0x10", "1;DROP TABLE run")) {
            assertBad(byAcc, new RunCursor(fingerprint, List.of(forged), 1), "not a float8");
        }
        assertBad(byAcc, new RunCursor(fingerprint, List.of("0.5", "0.5"), 1), "wrong number of keys");
        RunListQuery byStart = query(null, "started");
        assertBad(byStart, new RunCursor(RunCursor.fingerprint(byStart), List.of("2024-01-01"), 1), "not a timestamptz");
        assertBad(byStart, new RunCursor(RunCursor.fingerprint(byStart), List.of("9223372036854775807"), 1),
                "not a timestamptz");
        assertBad(byLr, new RunCursor(RunCursor.fingerprint(byLr), List.of("{\"a\":"), 1), "not a jsonb");
        assertBad(byLr, new RunCursor(RunCursor.fingerprint(byLr), List.of("1 2"), 1), "not a jsonb");
        assertThat(store.list(byAcc, new RunPaging(0, new RunCursor(fingerprint, List.of("-Infinity"), 0), 100, false))
                .items()).as("a valid key of no run still seeks: every run sorts after -Infinity, those lacking acc last")
                .hasSize(23);
    }

    @Test
    void decodingRefusesWhatIsNotACursor() {
        String json = "{\"f\":\"x\",\"k\":[1],\"id\":2}";
        for (String text : List.of("%%%", "bm90IGpzb24", encode("[]"), encode("{\"f\":\"x\",\"k\":[],\"id\":\"2\"}"),
                encode(json), encode("{\"f\":\"x\",\"k\":[],\"id\":2,\"sql\":\"x\"}"), "A".repeat(10_000))) {
            assertThatThrownBy(() -> RunCursor.decode(text)).as(text).isInstanceOf(BadInputException.class)
                    .extracting(e -> ((BadInputException) e).where()).isEqualTo("cursor");
        }
        RunCursor cursor = new RunCursor("f", java.util.Arrays.asList("a\"b", null, "{\"lr\": 1}"), 42);
        assertThat(RunCursor.decode(cursor.encode())).isEqualTo(cursor);
    }

    @Test
    void everyRunOnceWithTheDefaultOrderAcrossExperiments() {
        RunListQuery both = new RunListQuery(null, null, Parser.parseFilter("f", "experiment ~ \"^cursor-\""), List.of(),
                List.of());
        List<Long> all = byOffset(both);
        assertThat(new HashSet<>(all)).hasSize(all.size());
        assertThat(byCursor(both, 4)).isEqualTo(all);
        Set<Long> seen = new HashSet<>(byCursor(both, 7));
        assertThat(seen).hasSize(all.size());
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertBad(RunListQuery query, RunCursor cursor, String why) {
        assertThatThrownBy(() -> store.list(query, new RunPaging(0, cursor, 5, false)))
                .isInstanceOf(BadInputException.class).hasMessageContaining(why)
                .extracting(e -> ((BadInputException) e).where()).isEqualTo("cursor");
    }
}
