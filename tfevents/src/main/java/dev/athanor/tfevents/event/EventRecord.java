package dev.athanor.tfevents.event;

import dev.athanor.proto.tensorboard.Event;

/**
 * A decoded event with the exact bytes it came from.
 *
 * @param offset  byte offset of the record's frame in its file
 * @param payload the serialized Event as stored (kept so that raw logs and round trips are
 *                byte-exact); bytes fields of {@code event} may share this array, so it must not
 *                be modified
 * @param event   the parsed Event
 */
public record EventRecord(long offset, byte[] payload, Event event) {

    /** Offset of the next frame. */
    public long endOffset() {
        return offset + 16 + payload.length;
    }
}
