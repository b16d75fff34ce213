package dev.athanor.auth.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** The concrete request of a matrix row against one side's items: path, query parameters, JSON body. */
public record MatrixRequest(String path, Map<String, Object> query, String body) {

    public static MatrixRequest at(String path) {
        return new MatrixRequest(path, Map.of(), null);
    }

    /** A request with a JSON body (POST, PUT, PATCH: the row's method decides). */
    public static MatrixRequest withBody(String path, String body) {
        return new MatrixRequest(path, Map.of(), body);
    }

    public MatrixRequest with(String name, Object value) {
        Map<String, Object> q = new LinkedHashMap<>(query);
        q.put(name, value);
        return new MatrixRequest(path, q, body);
    }
}
