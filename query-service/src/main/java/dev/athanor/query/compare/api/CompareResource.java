package dev.athanor.query.compare.api;

import dev.athanor.query.common.api.Params;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.compare.service.CompareService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/experiments/{experimentId}/compare")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class CompareResource {

    private final CompareService service;

    public CompareResource(CompareService service) {
        this.service = service;
    }

    @GET
    @Operation(summary = "Compare 2-6 runs side by side: hparams and scalar metric summaries (last, min, max, best and"
            + " the step of best), each row saying whether the runs differ",
            description = "Best is the minimum for loss-like tags and the maximum for score-like ones (accuracy, auc, f1,"
                    + " precision, recall, reward, …: guessed from the tag's words; goal=<tag>:max overrides).")
    public RunComparison compare(
            @PathParam("experimentId") long experimentId,
            @Parameter(description = "2 to 6 run ids of the experiment, comma-separated or repeated; the columns' order")
            @QueryParam("runs") List<String> runs,
            @Parameter(description = "scalar tags to show, repeated (default: every scalar tag of the runs, up to 200)")
            @QueryParam("metric") List<String> metrics,
            @Parameter(description = "<tag>:min or <tag>:max, repeated: what best means for that tag")
            @QueryParam("goal") List<String> goals) {
        return service.compare(experimentId, Params.longs("runs", runs), metrics == null ? List.of()
                : metrics.stream().filter(m -> !m.isBlank()).distinct().toList(), goals(goals));
    }

    private static Map<String, String> goals(List<String> goals) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String goal : goals == null ? new ArrayList<String>() : goals) {
            int colon = goal.lastIndexOf(':');
            String direction = colon < 0 ? "" : goal.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            if (colon <= 0 || !(direction.equals("min") || direction.equals("max"))) {
                throw new BadInputException("goal", "goal must be <tag>:min or <tag>:max; got '" + goal + "'");
            }
            out.put(goal.substring(0, colon), direction);
        }
        return out;
    }
}
