package dev.athanor.query.common.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error response: a stable code, a sentence for people, and where the problem
 * is (a parameter or body field, and for filter expressions the 1-based column).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(int status, String error, String message, String where, Integer column, String expected) {

    public static ApiError of(int status, String error, String message, String where) {
        return new ApiError(status, error, message, where, null, null);
    }
}
