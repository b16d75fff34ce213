package dev.athanor.ingest.catalog;

/** The client sent something that can never be accepted; the message names the field and what is wrong. */
public final class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
