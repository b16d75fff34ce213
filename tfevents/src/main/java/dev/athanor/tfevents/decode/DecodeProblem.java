package dev.athanor.tfevents.decode;

/**
 * A value the decoder kept, but not in the form its series expects, or could read only in part.
 * Nothing is dropped: the value was still emitted (see {@link Kind}).
 *
 * @param run     the run the decoder was made for
 * @param tag     the value's tag
 * @param step    the event's step
 * @param offset  byte offset of the event's record in its file, or -1 when the caller did not say
 * @param kind    what was wrong
 * @param message a sentence naming run, tag, step, offset and problem
 */
public record DecodeProblem(String run, String tag, long step, long offset, Kind kind, String message) {

    public enum Kind {
        /**
         * The value's kind does not fit its series' data class (for example a string tensor in a
         * scalar series); it was emitted as what it is, with the series seen as that data class.
         */
        VALUE_DOES_NOT_FIT_SERIES,
        /** An hparams record whose plugin content is not a readable HParamsPluginData; emitted as a tensor. */
        BAD_HPARAMS_CONTENT,
        /** A legacy histogram with fewer bucket limits than buckets; missing edges were set to its max. */
        MALFORMED_HISTOGRAM,
        /** A pre-2016 {@code obsolete_old_style_histogram}; emitted as a rank-0 string tensor of its bytes. */
        OBSOLETE_HISTOGRAM
    }

    @Override
    public String toString() {
        return message;
    }
}
