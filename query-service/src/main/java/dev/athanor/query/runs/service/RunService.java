package dev.athanor.query.runs.service;

import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.error.NotFoundException;
import dev.athanor.query.common.selection.RunSelection;
import dev.athanor.query.experiments.service.ExperimentService;
import dev.athanor.query.querylang.Parser;
import dev.athanor.query.querylang.ast.Expr;
import dev.athanor.query.querylang.ast.Operand;
import dev.athanor.query.querylang.ast.SortKey;
import dev.athanor.query.runs.store.Run;
import dev.athanor.query.runs.store.RunGrouping;
import dev.athanor.query.runs.store.RunListQuery;
import dev.athanor.query.runs.store.RunMetadata;
import dev.athanor.query.runs.store.RunPage;
import dev.athanor.query.runs.store.RunPaging;
import dev.athanor.query.runs.store.RunRef;
import dev.athanor.query.runs.store.RunStore;
import dev.athanor.query.runs.store.TagInfo;
import dev.athanor.auth.AuditDetail;
import dev.athanor.query.common.auth.ProjectAccess;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Run listing, lookup, tags, and resolving run selections for the data endpoints. */
@ApplicationScoped
public class RunService {

    /** Extra columns one listing may project. */
    static final int MAX_COLUMNS = 50;

    private final RunStore store;
    private final ExperimentService experiments;
    private final ProjectAccess access;
    private final AuditDetail audit;

    public RunService(RunStore store, ExperimentService experiments, ProjectAccess access, AuditDetail audit) {
        this.store = store;
        this.experiments = experiments;
        this.access = access;
        this.audit = audit;
    }

    public RunPage list(Long experimentId, String filter, String sort, String columns, RunPaging paging) {
        if (experimentId != null) {
            experiments.requireExists(experimentId);
        }
        List<Operand> projected = blank(columns) ? List.of() : Parser.parseOperands("columns", columns);
        if (projected.size() > MAX_COLUMNS) {
            throw new BadInputException("columns", "at most " + MAX_COLUMNS + " columns; got " + projected.size());
        }
        return store.list(new RunListQuery(experimentId, null, parseFilter(filter), parseSort(sort), projected,
                access.readableProjects()), paging);
    }

    public Run get(long runId) {
        access.requireRun(runId, "runId");
        return store.find(runId).orElseThrow(() -> new NotFoundException("runId", "run " + runId + " not found"));
    }

    /**
     * Sets a run's metadata from a PATCH body (see {@link RunMetadataPatch}); answers the run as it
     * now is. Writer of the run's project is checked (and the call audited) by the AuthFilter,
     * which sees {@code {runId}} in the path; the audit row names the fields changed
     * ({@link RunMetadataChanges}).
     */
    public Run patch(long runId, Map<String, Object> body) {
        get(runId);
        Map<String, Object> columns = RunMetadataPatch.columns(body);
        RunMetadata before = store.updateMetadata(runId, columns)
                .orElseThrow(() -> new NotFoundException("runId", "run " + runId + " not found"));
        audit.put("changes", RunMetadataChanges.describe(before, columns));
        return get(runId);
    }

    public Map<String, List<TagInfo>> tags(long runId) {
        get(runId);
        return store.tags(runId);
    }

    public Map<String, Map<String, List<Long>>> experimentTags(long experimentId) {
        experiments.requireExists(experimentId);
        return store.experimentTags(experimentId);
    }

    /**
     * The runs a request names, in path order. Unknown run ids are a 404 naming them; a selection
     * larger than {@code limit} is refused rather than silently cut.
     */
    public List<RunRef> select(RunSelection selection, String where, int limit) {
        if (selection == null || selection.isEmpty()) {
            throw new BadInputException(where, where + " must name an experiment or a list of run ids");
        }
        if (selection.experiment() != null) {
            experiments.requireExists(selection.experiment());
        }
        List<Long> ids = selection.runs() == null || selection.runs().isEmpty() ? null : List.copyOf(new HashSet<>(selection.runs()));
        Expr filter = parseFilter(selection.filter());
        if (ids != null) {
            // Runs of projects the caller cannot read are "not found", like missing ones.
            List<RunRef> existing = store.select(new RunListQuery(null, ids, null, List.of(), List.of(),
                    access.readableProjects()), ids.size() + 1);
            if (existing.size() != ids.size()) {
                Set<Long> missing = new HashSet<>(ids);
                existing.forEach(r -> missing.remove(r.id()));
                throw new NotFoundException(where + ".runs", "runs not found: " + missing.stream().sorted().toList());
            }
            if (selection.experiment() == null && filter == null) {
                // Plain run ids (the common chart request): the existence check is the selection.
                if (existing.size() > limit) {
                    throw tooMany(where, limit);
                }
                return existing;
            }
        }
        List<RunRef> runs = store.select(new RunListQuery(selection.experiment(), ids, filter, List.of(), List.of(),
                access.readableProjects()), limit + 1);
        if (runs.size() > limit) {
            throw tooMany(where, limit);
        }
        return runs;
    }

    /** Each selected run's group key as JSON text (null: none); see {@link RunGrouping}. */
    public Map<Long, String> groupKeys(List<Long> runIds, RunGrouping by, String where) {
        return store.groupKeys(runIds, by, where);
    }

    private static BadInputException tooMany(String where, int limit) {
        return new BadInputException(where, "the selection matches more than " + limit
                + " runs; narrow it with a filter or fewer run ids");
    }

    public static Expr parseFilter(String filter) {
        return blank(filter) ? null : Parser.parseFilter("filter", filter);
    }

    private static List<SortKey> parseSort(String sort) {
        return blank(sort) ? List.of() : Parser.parseSort("sort", sort);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
