package dev.athanor.query.common.error;

/** Something the request names (an experiment, run, tag, step, blob index) does not exist. */
public final class NotFoundException extends RuntimeException {

    private final String where;

    public NotFoundException(String where, String message) {
        super(message);
        this.where = where;
    }

    public String where() {
        return where;
    }
}
