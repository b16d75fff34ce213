package dev.athanor.tfevents.record;

/**
 * No complete frame at the reader's position. {@code partialBytes} are the bytes of an
 * incomplete frame seen after {@code offset} (a file still being written); 0 means the data ended
 * cleanly at a frame boundary. Reading again later continues from {@code offset}.
 */
public record EndOfData(long offset, long partialBytes) implements ReadResult {

    public boolean truncated() {
        return partialBytes > 0;
    }
}
