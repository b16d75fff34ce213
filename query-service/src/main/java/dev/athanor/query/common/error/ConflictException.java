package dev.athanor.query.common.error;

/** The request contradicts what is stored (a name already taken); {@code where} names the field. */
public class ConflictException extends RuntimeException {

    private final String where;

    public ConflictException(String where, String message) {
        super(message);
        this.where = where;
    }

    public String where() {
        return where;
    }
}
