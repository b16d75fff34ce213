package dev.athanor.query.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.query.common.paging.Page;
import dev.athanor.query.common.paging.PageRequest;
import dev.athanor.query.experiments.store.Experiment;
import dev.athanor.query.experiments.store.ExperimentQuery;
import dev.athanor.query.experiments.store.ExperimentStore;
import dev.athanor.query.testing.IndexTestData;
import org.junit.jupiter.api.Test;

/** What every {@link ExperimentStore} must do. */
public abstract class ExperimentStoreContract {

    protected abstract ExperimentStore store();

    protected abstract IndexTestData data();

    @Test
    void findsByIdWithRunCount() {
        String name = IndexTestData.unique("find");
        long id = data().experiment(name);
        data().run(id, "a");
        data().run(id, "b/c");
        Experiment e = store().find(id).orElseThrow();
        assertThat(e.name()).isEqualTo(name);
        assertThat(e.project()).isEqualTo("default");
        assertThat(e.runCount()).isEqualTo(2);
        assertThat(store().find(-1)).isEmpty();
    }

    @Test
    void projectOfNamesTheProjectOfAnExistingExperimentOnly() {
        long id = data().experiment(IndexTestData.unique("project-of"));
        assertThat(store().projectOf(id)).contains("default");
        assertThat(store().projectOf(-1)).isEmpty();
    }

    @Test
    void pagesThroughASearchInOrder() {
        String prefix = IndexTestData.unique("pages");
        for (int i = 0; i < 5; i++) {
            data().experiment(prefix + "-" + i);
        }
        ExperimentQuery query = new ExperimentQuery(null, null, prefix.toUpperCase(), ExperimentQuery.Sort.NAME, true);
        Page<Experiment> first = store().list(query, new PageRequest(0, 2));
        assertThat(first.total()).isEqualTo(5);
        assertThat(first.items()).extracting(Experiment::name).containsExactly(prefix + "-4", prefix + "-3");
        assertThat(first.nextOffset()).isEqualTo(2);
        Page<Experiment> last = store().list(query, new PageRequest(4, 2));
        assertThat(last.items()).extracting(Experiment::name).containsExactly(prefix + "-0");
        assertThat(last.nextOffset()).isNull();
        Page<Experiment> beyond = store().list(query, new PageRequest(10, 2));
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.total()).isEqualTo(5);
    }

    @Test
    void exactNameAndProjectFilter() {
        String name = IndexTestData.unique("exact");
        data().experiment(name);
        data().experiment(name + "-longer");
        assertThat(store().list(new ExperimentQuery("default", name, null, ExperimentQuery.Sort.ID, false),
                new PageRequest(0, 10)).items()).extracting(Experiment::name).containsExactly(name);
        assertThat(store().list(new ExperimentQuery("no-such-project", name, null, ExperimentQuery.Sort.ID, false),
                new PageRequest(0, 10)).items()).isEmpty();
    }

    @Test
    void searchTreatsLikeWildcardsLiterally() {
        String prefix = IndexTestData.unique("wild");
        data().experiment(prefix + "-abc");
        assertThat(store().list(new ExperimentQuery(null, null, prefix + "%", ExperimentQuery.Sort.NAME, false),
                new PageRequest(0, 10)).items()).isEmpty();
        assertThat(store().list(new ExperimentQuery(null, null, "_abc", ExperimentQuery.Sort.NAME, false),
                new PageRequest(0, 10)).items()).isEmpty();
    }
}
