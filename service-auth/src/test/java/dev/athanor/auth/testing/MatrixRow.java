package dev.athanor.auth.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.function.Function;

/**
 * One row of a service's auth matrix: an endpoint as its OpenAPI document names it, what it
 * expects of the caller, and how to aim it at a side's items ({@code S}: the test's seeded project).
 *
 * @param variant tells apart rows of one endpoint (another query parameter or body); empty if none
 */
public record MatrixRow<S>(String method, String path, String variant, Expect expect,
                           Function<S, MatrixRequest> request) {

    public static <S> MatrixRow<S> row(String method, String path, Expect expect, Function<S, MatrixRequest> request) {
        return new MatrixRow<>(method, path, "", expect, request);
    }

    public static <S> MatrixRow<S> row(String method, String path, String variant, Expect expect,
                                       Function<S, MatrixRequest> request) {
        return new MatrixRow<>(method, path, variant, expect, request);
    }

    /** {@code METHOD /path}: the endpoint as the OpenAPI document and the access rules name it. */
    public String operation() {
        return method + " " + path;
    }

    /** How a test name reads it: {@code GET /api/v1/runs (experiment=)}. */
    public String label() {
        return operation() + (variant.isEmpty() ? "" : " (" + variant + ")");
    }

    /** Sends the row's request at the side with this Authorization value (null: none). */
    public Response send(S side, String authorization) {
        MatrixRequest req = request.apply(side);
        RequestSpecification spec = given().urlEncodingEnabled(true);
        if (authorization != null) {
            spec.header("Authorization", authorization);
        }
        req.query().forEach(spec::queryParam);
        if (req.body() != null) {
            spec.contentType(ContentType.JSON).body(req.body());
        }
        return spec.request(method, req.path());
    }

    @Override
    public String toString() {
        return label();
    }
}
