package dev.athanor.auth.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The operations of the running service's OpenAPI document, to hold a matrix's rows against. */
public final class MatrixCoverage {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head");

    private MatrixCoverage() {
    }

    /** {@code METHOD /path} of every operation the service documents. */
    public static Set<String> documentedOperations() {
        Map<String, Map<String, Object>> paths = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().forEach(method -> {
            if (METHODS.contains(method)) {
                documented.add(method.toUpperCase() + " " + path);
            }
        }));
        return documented;
    }
}
