package dev.athanor.query.checks.service;

import dev.athanor.query.checks.api.CheckRequest;
import dev.athanor.query.checks.api.CheckResponse;
import dev.athanor.query.checks.store.CheckStore;
import dev.athanor.query.checks.store.RunOutcome;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.common.selection.RunSelection;
import dev.athanor.query.querylang.Parser;
import dev.athanor.query.querylang.ast.Expr;
import dev.athanor.query.runs.service.RunService;
import dev.athanor.query.runs.store.RunRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** Runs CI assertions: every assertion is parsed before anything is evaluated. */
@ApplicationScoped
public class CheckService {

    static final int MAX_ASSERTIONS = 100;
    static final int MAX_RUNS = 10_000;

    private final CheckStore store;
    private final RunService runs;

    public CheckService(CheckStore store, RunService runs) {
        this.store = store;
        this.runs = runs;
    }

    public CheckResponse check(CheckRequest request) {
        List<String> texts = request.assertions();
        if (texts == null || texts.isEmpty()) {
            throw new BadInputException("assertions", "at least one assertion is required");
        }
        if (texts.size() > MAX_ASSERTIONS) {
            throw new BadInputException("assertions", "at most " + MAX_ASSERTIONS + " assertions; got " + texts.size());
        }
        List<Expr> parsed = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new BadInputException("assertions[" + i + "]", "assertions[" + i + "] is empty");
            }
            parsed.add(Parser.parseFilter("assertions[" + i + "]", text));
        }
        List<RunRef> selected = runs.select(new RunSelection(request.experiment(), request.runs(), request.filter()),
                "selection", MAX_RUNS);
        List<CheckResponse.RunLabel> labels = selected.stream().map(r -> new CheckResponse.RunLabel(r.id(), r.path())).toList();
        if (selected.isEmpty()) {
            return new CheckResponse(false, "the selection matched no runs; nothing was checked", labels, List.of());
        }
        List<Long> ids = selected.stream().map(RunRef::id).toList();
        List<CheckResponse.AssertionResult> results = new ArrayList<>();
        boolean allPassed = true;
        for (int i = 0; i < parsed.size(); i++) {
            List<RunOutcome> outcomes = store.evaluate(ids, parsed.get(i));
            int failed = (int) outcomes.stream().filter(o -> !o.passed()).count();
            allPassed &= failed == 0;
            results.add(new CheckResponse.AssertionResult(texts.get(i), failed == 0, failed, outcomes));
        }
        String message = allPassed ? "all " + parsed.size() + " assertions hold for all " + ids.size() + " runs"
                : results.stream().filter(r -> !r.passed()).count() + " of " + parsed.size() + " assertions failed";
        return new CheckResponse(allPassed, message, labels, results);
    }
}
