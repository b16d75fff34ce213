package dev.athanor.systemtests.harness;

import static dev.athanor.systemtests.harness.TensorBoardHttp.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The questions stock TensorBoard's web app asks of its HTTP API, plugin by plugin: the tag lists,
 * then every series of every tag the reference TensorBoard lists (scalars, histograms,
 * distributions, images and audio with their bytes, text, PR curves, graphs, custom scalars,
 * hparams). Answers are made comparable across two TensorBoards: run lists and each run's text
 * tags as sets (TensorBoard's web app sorts them), and the blob
 * URLs of images and audio (which carry each data provider's own opaque blob keys) replaced by the
 * SHA-256 and type of the bytes they serve.
 */
public final class TensorBoardQuestions {

    /** One question: the plugin it belongs to, a GET path or a POST path with a JSON body. */
    public record Question(String plugin, String path, String postBody) {

        static Question get(String plugin, String path) {
            return new Question(plugin, path, null);
        }

        public Object ask(TensorBoardHttp tensorBoard) {
            TensorBoardHttp.Answer answer = postBody == null ? tensorBoard.get(path) : tensorBoard.post(path, postBody);
            if (answer.status() != 200 || !answer.contentType().contains("json")) {
                return answer;
            }
            JsonNode json = answer.json();
            return switch (plugin) {
                case "core" -> path.equals("data/runs") ? sorted(json) : json;
                case "text" -> path.contains("/tags") ? eachSorted(json) : json;
                case "images", "audio" -> path.contains("/tags") ? json : withBlobDigests(json, tensorBoard, plugin);
                default -> json;
            };
        }

        @Override
        public String toString() {
            return (postBody == null ? "GET " : "POST ") + path + (postBody == null ? "" : " " + postBody);
        }
    }

    private static final String ALL_STATUSES =
            "[\"STATUS_UNKNOWN\",\"STATUS_SUCCESS\",\"STATUS_FAILURE\",\"STATUS_RUNNING\"]";

    private TensorBoardQuestions() {
    }

    /** Every question, derived from what {@code reference} lists (its runs, tags, layouts, sessions). */
    public static List<Question> of(TensorBoardHttp reference) {
        List<Question> questions = new ArrayList<>();
        questions.add(Question.get("core", "data/runs"));
        questions.add(Question.get("core", "data/plugins_listing"));
        perRunAndTag(reference, questions, "scalars", "scalars", tagEntry -> 1);
        perRunAndTag(reference, questions, "histograms", "histograms", tagEntry -> 1);
        perRunAndTag(reference, questions, "distributions", "distributions", tagEntry -> 1);
        perRunAndTag(reference, questions, "pr_curves", "pr_curves", tagEntry -> 1);
        perRunAndTag(reference, questions, "images", "images", tagEntry -> tagEntry.path("samples").asInt(1));
        perRunAndTag(reference, questions, "audio", "audio", tagEntry -> tagEntry.path("samples").asInt(1));
        text(reference, questions);
        graphs(reference, questions);
        customScalars(reference, questions);
        hparams(reference, questions);
        return questions;
    }

    /** {@code tags} is {run: {tag: {...}}}; one question per run, tag (and sample, for images and audio). */
    private static void perRunAndTag(TensorBoardHttp reference, List<Question> questions, String plugin, String route,
                                     Function<JsonNode, Integer> samples) {
        String tagsPath = "data/plugin/" + plugin + "/tags";
        questions.add(Question.get(plugin, tagsPath));
        JsonNode tags = reference.get(tagsPath).json();
        for (Map.Entry<String, JsonNode> run : fields(tags)) {
            for (Map.Entry<String, JsonNode> tag : fields(run.getValue())) {
                int count = samples.apply(tag.getValue());
                for (int sample = 0; sample < count; sample++) {
                    String query = query("run", run.getKey(), "tag", tag.getKey());
                    questions.add(Question.get(plugin, "data/plugin/" + plugin + "/" + route + "?" + query
                            + (plugin.equals("images") || plugin.equals("audio") ? "&sample=" + sample : "")));
                }
            }
        }
    }

    /** The text plugin lists {run: [tag, ...]}. */
    private static void text(TensorBoardHttp reference, List<Question> questions) {
        questions.add(Question.get("text", "data/plugin/text/tags"));
        for (Map.Entry<String, JsonNode> run : fields(reference.get("data/plugin/text/tags").json())) {
            for (JsonNode tag : run.getValue()) {
                questions.add(Question.get("text", "data/plugin/text/text?" + query("run", run.getKey(), "tag",
                        tag.asText())));
            }
        }
    }

    /** {@code info}: {run: {run_graph, tags: {tag: {conceptual_graph, op_graph, profile}}}}. */
    private static void graphs(TensorBoardHttp reference, List<Question> questions) {
        questions.add(Question.get("graphs", "data/plugin/graphs/info"));
        for (Map.Entry<String, JsonNode> run : fields(reference.get("data/plugin/graphs/info").json())) {
            if (run.getValue().path("run_graph").asBoolean()) {
                questions.add(Question.get("graphs", "data/plugin/graphs/graph?" + query("run", run.getKey())));
            }
            for (Map.Entry<String, JsonNode> tag : fields(run.getValue().path("tags"))) {
                String query = query("run", run.getKey(), "tag", tag.getKey());
                if (tag.getValue().path("conceptual_graph").asBoolean()) {
                    questions.add(Question.get("graphs", "data/plugin/graphs/graph?" + query + "&conceptual=true"));
                }
                if (tag.getValue().path("op_graph").asBoolean()) {
                    questions.add(Question.get("graphs", "data/plugin/graphs/graph?" + query));
                }
                if (tag.getValue().path("profile").asBoolean()) {
                    questions.add(Question.get("graphs", "data/plugin/graphs/run_metadata?" + query));
                }
            }
        }
    }

    /** The layout, then every multiline chart's tag pattern for every run. */
    private static void customScalars(TensorBoardHttp reference, List<Question> questions) {
        questions.add(Question.get("custom_scalars", "data/plugin/custom_scalars/layout"));
        TreeSet<String> patterns = new TreeSet<>();
        for (JsonNode category : reference.get("data/plugin/custom_scalars/layout").json().path("category")) {
            for (JsonNode chart : category.path("chart")) {
                chart.path("multiline").path("tag").forEach(tag -> patterns.add(tag.asText()));
            }
        }
        for (JsonNode run : reference.get("data/runs").json()) {
            for (String pattern : patterns) {
                questions.add(Question.get("custom_scalars", "data/plugin/custom_scalars/scalars?"
                        + query("run", run.asText(), "tag", pattern)));
            }
        }
    }

    /**
     * The experiment, every session group (hparams, sessions, times, status) and every session's
     * evaluations of each metric. The groups are asked without metrics: which metrics a group lists
     * follows the experiment TensorBoard shows, which is arbitrary when runs hold several
     * ({@code TensorBoardParityTest#DIFFERENT_BY_DESIGN}); the metric values are compared through
     * the metric evaluations instead.
     */
    private static void hparams(TensorBoardHttp reference, List<Question> questions) {
        Question experiment = new Question("hparams", "data/plugin/hparams/experiment", "{\"experimentName\":\"\"}");
        Question sessionGroups = new Question("hparams", "data/plugin/hparams/session_groups",
                "{\"experimentName\":\"\",\"allowedStatuses\":" + ALL_STATUSES
                        + ",\"startIndex\":0,\"sliceSize\":100000,\"includeMetrics\":false}");
        questions.add(experiment);
        questions.add(sessionGroups);
        if (!(experiment.ask(reference) instanceof JsonNode experimentJson)
                || !(sessionGroups.ask(reference) instanceof JsonNode groups)) {
            return;
        }
        for (JsonNode group : groups.path("sessionGroups")) {
            for (JsonNode session : group.path("sessions")) {
                for (JsonNode metric : experimentJson.path("metricInfos")) {
                    questions.add(new Question("hparams", "data/plugin/hparams/metric_evals",
                            "{\"experimentName\":\"\",\"sessionName\":" + TensorBoardHttp.JSON.valueToTree(
                                    session.path("name").asText()) + ",\"metricName\":" + metric.path("name") + "}"));
                }
            }
        }
    }

    /** {run: [tag, ...]} with each run's tags sorted (the web app sorts them; the data providers list them in any order). */
    private static JsonNode eachSorted(JsonNode runs) {
        ObjectNode sorted = TensorBoardHttp.JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> run : fields(runs)) {
            sorted.set(run.getKey(), sorted(run.getValue()));
        }
        return sorted;
    }

    private static JsonNode sorted(JsonNode array) {
        TreeSet<String> names = new TreeSet<>();
        array.forEach(name -> names.add(name.asText()));
        ArrayNode sorted = TensorBoardHttp.JSON.createArrayNode();
        names.forEach(sorted::add);
        return sorted;
    }

    /** Each entry's {@code query} (naming the data provider's blob key) replaced by what it serves. */
    private static JsonNode withBlobDigests(JsonNode entries, TensorBoardHttp tensorBoard, String plugin) {
        String route = plugin.equals("images") ? "individualImage" : "individualAudio";
        for (JsonNode entry : entries) {
            if (entry instanceof ObjectNode object && object.has("query")) {
                TensorBoardHttp.Answer blob = tensorBoard.get("data/plugin/" + plugin + "/" + route + "?"
                        + object.remove("query").asText());
                object.put("blob", blob.status() + " " + blob.contentType() + " " + blob.body().length + " bytes sha256 "
                        + sha256(blob.body()));
            }
        }
        return entries;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode object) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            fields.add(it.next());
        }
        return fields;
    }
}
