package dev.athanor.query.export;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.testing.FixtureIndexer;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import dev.athanor.tfevents.compat.TensorValues;
import dev.athanor.tfevents.decode.BlobSequencePoint;
import dev.athanor.tfevents.decode.DecodedValue;
import dev.athanor.tfevents.decode.RunDecoder;
import dev.athanor.tfevents.decode.ScalarPoint;
import dev.athanor.tfevents.decode.TensorPoint;
import dev.athanor.tfevents.event.EventFileReader;
import dev.athanor.tfevents.event.EventRecord;
import dev.athanor.tfevents.testing.Fixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ExportResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    QueryConfig config;

    long experiment;
    long train;

    @BeforeEach
    void data() {
        IndexTestData data = new IndexTestData(dataSource);
        experiment = data.experiment(IndexTestData.unique("rest-export"));
        train = data.run(experiment, "train, \"quoted\"");
        data.scalarSeries(train, "loss/total", new double[] {1.5, Double.NaN, Double.NEGATIVE_INFINITY}, 2);
        data.scalarSeries(data.run(experiment, "eval"), "loss/total", new double[] {2.5}, 2);
    }

    @Test
    void jsonLinesWithNonFiniteValuesAsStrings() throws IOException {
        Response response = given().queryParam("experiment", experiment).get("/api/v1/export");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/x-ndjson");
        assertThat(response.header("Content-Disposition")).contains("experiment-" + experiment + ".jsonl");
        assertThat(response.header("X-Athanor-Snapshot-Time")).isNotBlank();
        assertThat(response.header("X-Athanor-Runs")).isEqualTo("2");
        List<String> lines = response.asString().lines().toList();
        assertThat(lines).hasSize(4);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.fieldNames()).toIterable().containsExactly("run", "tag", "step", "wall_time", "plugin", "value");
        assertThat(first.get("run").asText()).isEqualTo("eval");
        assertThat(first.get("value").asDouble()).isEqualTo(2.5);
        assertThat(JSON.readTree(lines.get(2)).get("value").asText()).isEqualTo("NaN");
        assertThat(JSON.readTree(lines.get(3)).get("value").asText()).isEqualTo("-Infinity");
        assertThat(JSON.readTree(lines.get(3)).get("run").asText()).isEqualTo("train, \"quoted\"");
    }

    @Test
    void csvIsQuotedAndPlain() {
        String csv = given().queryParam("experiment", experiment).queryParam("format", "csv")
                .queryParam("run", train).get("/api/v1/export")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertThat(csv.split("\r\n")).containsExactly(
                "run,tag,step,wall_time,plugin,value",
                "\"train, \"\"quoted\"\"\",loss/total,0,1000.0,scalars,1.5",
                "\"train, \"\"quoted\"\"\",loss/total,1,1001.0,scalars,NaN",
                "\"train, \"\"quoted\"\"\",loss/total,2,1002.0,scalars,-Infinity");
    }

    @Test
    void postSelectionAndBadInput() {
        given().contentType(ContentType.JSON).body("{\"experiment\": " + experiment + ", \"filter\": \"name = 'eval'\","
                + " \"plugins\": [\"scalars\"], \"format\": \"csv\"}").post("/api/v1/export")
                .then().statusCode(200).body(containsString("eval,loss/total,0,1000.0,scalars,2.5"));
        given().get("/api/v1/export").then().statusCode(400).body("where", equalTo("experiment"));
        given().queryParam("experiment", experiment).queryParam("format", "parquet").get("/api/v1/export")
                .then().statusCode(400).body("where", equalTo("format"));
        given().queryParam("experiment", 99_999_999).get("/api/v1/export").then().statusCode(404);
        given().queryParam("experiment", experiment).queryParam("run", 99_999_999).get("/api/v1/export").then().statusCode(404);
        given().queryParam("experiment", experiment).queryParam("filter", "name ~ \"[\"").get("/api/v1/export")
                .then().statusCode(400).contentType(ContentType.JSON).body("message", containsString("regular expression"));
        given().queryParam("experiment", experiment).queryParam("filter", "name = ").get("/api/v1/export")
                .then().statusCode(400).body("column", equalTo(8));
    }

    /** The export of an indexed run equals what {@code athanor inspect --format jsonl} prints for its file (as sets). */
    @Test
    void exportOfARealRunMatchesTheInspectShape() throws IOException {
        Path file = Fixtures.file("generated/tf_summary/custom_loop/events.out.tfevents.1795729064.vm.29665.0.v2");
        long fixtureExperiment = new IndexTestData(dataSource).experiment(IndexTestData.unique("export-fixture"));
        FixtureIndexer.index(new IndexTestData(dataSource), config.raw().hotRoot(), fixtureExperiment, "custom_loop", file);

        Set<JsonNode> expected = new HashSet<>();
        RunDecoder decoder = new RunDecoder("custom_loop");
        try (EventFileReader reader = EventFileReader.open(file, problem -> { })) {
            EventRecord record;
            while ((record = reader.next()) != null) {
                for (DecodedValue value : decoder.decode(record)) {
                    expected.add(JSON.readTree(inspectLine("custom_loop", value)));
                }
            }
        }
        String body = given().queryParam("experiment", fixtureExperiment).get("/api/v1/export").then().statusCode(200)
                .extract().asString();
        Set<JsonNode> actual = new HashSet<>();
        for (String line : body.lines().toList()) {
            actual.add(JSON.readTree(line));
        }
        assertThat(actual).hasSize(48).isEqualTo(expected);
    }

    /** The line athanor inspect writes for a decoded value (same fields, same encodings). */
    private static String inspectLine(String run, DecodedValue value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator json = new JsonFactory().createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("run", run);
            json.writeStringField("tag", value.tag());
            json.writeNumberField("step", value.step());
            json.writeFieldName("wall_time");
            number(json, value.wallTime());
            json.writeStringField("plugin", value.pluginName());
            switch (value) {
                case ScalarPoint s -> {
                    json.writeFieldName("value");
                    number(json, s.value());
                }
                case TensorPoint t -> {
                    json.writeStringField("dtype", t.tensor().getDtype().name());
                    long[] shape = TensorValues.shape(t.tensor());
                    json.writeFieldName("shape");
                    json.writeArray(shape, 0, shape.length);
                    json.writeNumberField("bytes", t.tensor().getSerializedSize());
                }
                case BlobSequencePoint b -> {
                    json.writeFieldName("blob_bytes");
                    json.writeStartArray();
                    for (ByteString blob : b.blobs()) {
                        json.writeNumber(blob.size());
                    }
                    json.writeEndArray();
                }
                default -> throw new IllegalStateException("no hparams values in this fixture");
            }
            json.writeEndObject();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void number(JsonGenerator json, double v) throws IOException {
        if (Double.isNaN(v)) {
            json.writeString("NaN");
        } else if (Double.isInfinite(v)) {
            json.writeString(v > 0 ? "Infinity" : "-Infinity");
        } else {
            json.writeNumber(v);
        }
    }
}
