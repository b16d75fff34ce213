package dev.athanor.query.views;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import dev.athanor.query.views.service.ViewService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Saved views over REST: the life of one view, names unique per experiment, and every refusal named. */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ViewResourceTest {

    private static final String STATE = "{\"runs\": [3, 1], \"filter\": \"hparams.lr < 0.01\", \"groupBy\": \"hparams.lr\","
            + " \"pinned\": [\"loss\"], \"smoothing\": 0.6, \"axes\": {\"x\": \"step\", \"yLog\": true}}";

    @Inject
    AgroalDataSource dataSource;

    String views;
    String otherViews;

    @BeforeEach
    void data() {
        IndexTestData data = new IndexTestData(dataSource);
        views = "/api/v1/experiments/" + data.experiment(IndexTestData.unique("views")) + "/views";
        otherViews = "/api/v1/experiments/" + data.experiment(IndexTestData.unique("views-other")) + "/views";
    }

    private int create(String name, String state) {
        return given().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\", \"state\": " + state + "}")
                .post(views).then().statusCode(201)
                .body("name", equalTo(name)).body("createdBy", equalTo("local")).body("id", notNullValue())
                .extract().path("id");
    }

    @Test
    void aViewIsSavedListedOpenedChangedAndDeleted() {
        int id = create("lr sweep, smoothed", STATE);
        create("Baseline", "{}");

        given().get(views).then().statusCode(200).body("name", org.hamcrest.Matchers.contains("Baseline", "lr sweep, smoothed"));
        given().get(views + "/" + id).then().statusCode(200)
                .body("state.filter", equalTo("hparams.lr < 0.01")).body("state.runs", org.hamcrest.Matchers.contains(3, 1))
                .body("state.axes.yLog", equalTo(true)).body("state.smoothing", equalTo(0.6f));

        given().contentType(ContentType.JSON).body("{\"name\": \"lr sweep\"}").put(views + "/" + id).then().statusCode(200)
                .body("name", equalTo("lr sweep")).body("state.groupBy", equalTo("hparams.lr"));
        given().contentType(ContentType.JSON).body("{\"state\": {\"smoothing\": 0}}").put(views + "/" + id).then()
                .statusCode(200).body("name", equalTo("lr sweep")).body("state.smoothing", equalTo(0))
                .body("state", not(org.hamcrest.Matchers.hasKey("filter")));

        given().delete(views + "/" + id).then().statusCode(204);
        given().get(views + "/" + id).then().statusCode(404).body("message", containsString("view " + id + " not found"));
        given().delete(views + "/" + id).then().statusCode(404);
        given().get(views).then().body("name", hasSize(1));
    }

    /** Issue 17: a trashed experiment's views are hidden and refused like the experiment, and come back with it. */
    @Test
    void theViewsOfATrashedExperimentAreHiddenAndRefusedUntilItIsRestored() {
        int id = create("kept", STATE);
        String experiment = views.substring(0, views.length() - "/views".length());
        given().delete(experiment).then().statusCode(200);

        given().get(views).then().statusCode(404).body("message", containsString("not found"));
        given().get(views + "/" + id).then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"name\": \"new\", \"state\": {}}").post(views).then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"name\": \"renamed\"}").put(views + "/" + id).then().statusCode(404);
        given().delete(views + "/" + id).then().statusCode(404);

        given().post(experiment + "/restore").then().statusCode(200);
        given().get(views).then().statusCode(200).body("name", org.hamcrest.Matchers.contains("kept"));
        given().get(views + "/" + id).then().statusCode(200).body("state.filter", equalTo("hparams.lr < 0.01"));
    }

    @Test
    void aNameIsTakenOncePerExperiment() {
        int first = create("mine", "{}");
        given().contentType(ContentType.JSON).body("{\"name\": \"mine\", \"state\": {}}").post(views).then().statusCode(409)
                .body("error", equalTo("CONFLICT")).body("where", equalTo("body.name"))
                .body("message", containsString("'mine' already exists"));
        int second = create("theirs", "{}");
        given().contentType(ContentType.JSON).body("{\"name\": \"mine\"}").put(views + "/" + second).then().statusCode(409);
        // Another experiment may use the name; it does not see this experiment's view.
        given().contentType(ContentType.JSON).body("{\"name\": \"mine\", \"state\": {}}").post(otherViews).then().statusCode(201);
        given().get(otherViews + "/" + first).then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"state\": {}}").put(otherViews + "/" + first).then().statusCode(404);
        given().delete(otherViews + "/" + first).then().statusCode(404);
        given().get(views + "/" + first).then().statusCode(200);
    }

    @Test
    void badBodiesAreRefusedNamingTheField() {
        refused("{\"state\": {}}", "body.name", "needs a name");
        refused("{\"name\": \"  \", \"state\": {}}", "body.name", "needs a name");
        refused("{\"name\": \"x\"}", "body.state", "needs its state");
        refused("{\"name\": \"x\", \"state\": [1, 2]}", "body.state", "JSON object");
        refused("{\"name\": \"x\", \"state\": \"{}\"}", "body.state", "JSON object");
        refused("{\"name\": \"x\", \"state\": {}, \"owner\": \"me\"}", "body.owner", "unknown field");
        refused("{\"name\": \"a\\nb\", \"state\": {}}", "body.name", "control character");
        refused("{\"name\": \"" + "n".repeat(ViewService.MAX_NAME + 1) + "\", \"state\": {}}", "body.name", "");
        refused("{\"name\": \"x\", \"state\": {\"s\": \"" + "x".repeat(ViewService.MAX_STATE_BYTES) + "\"}}",
                "body.state", "-byte bound");
        refused("{\"name\": \"x\", \"state\": {\"s\": \"a\\u0000b\"}}", "body.state", "U+0000");
        refused("{}", "body", "name and/or state");
        given().contentType(ContentType.JSON).body("{\"name\": ").post(views).then().statusCode(400);
        given().get(views + "/abc").then().statusCode(404);
        given().get(views).then().body("name", hasSize(0));
    }

    private void refused(String body, String where, String message) {
        given().contentType(ContentType.JSON).body(body).post(views).then().statusCode(400)
                .body("error", equalTo("BAD_REQUEST")).body("where", equalTo(where)).body("message", containsString(message));
    }
}
