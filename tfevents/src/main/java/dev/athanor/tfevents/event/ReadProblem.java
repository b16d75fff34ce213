package dev.athanor.tfevents.event;

/**
 * Something in an event file that could not be used, located precisely. Reading goes on after
 * it: the good records before and after are kept.
 *
 * @param source       the file (or stream) name
 * @param offset       byte offset of the bad frame or record
 * @param kind         what was wrong
 * @param skippedBytes bytes passed over to get to the next good frame (0 when the frame itself
 *                     was sound but its payload was not a usable Event)
 * @param message      a sentence that names source, offset and problem
 */
public record ReadProblem(String source, long offset, Kind kind, long skippedBytes, String message) {

    public enum Kind {
        /** Frame failed a CRC or had an impossible length; bytes were skipped to resynchronise. */
        CORRUPT_FRAME,
        /** The frame verified but its payload does not parse as a tensorboard.Event. */
        NOT_AN_EVENT,
        /** The frame verified but holds zero bytes, which no writer produces. */
        EMPTY_RECORD
    }

    @Override
    public String toString() {
        return message;
    }
}
