package dev.athanor.systemtests.harness;

import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.testing.TestLogdir;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Event files written while they are uploaded, as a training job does, and the records they hold. */
public final class LiveLogdir {

    private LiveLogdir() {
    }

    /**
     * Appends {@code perRound} scalar events ("loss") to every writer, flushes, pauses
     * {@code pauseMillis}, until {@code writing} is cleared; then closes the writers. Returns the
     * steps written to each.
     */
    public static long writeUntilStopped(List<EventFileWriter> writers, AtomicBoolean writing, int perRound,
                                         long pauseMillis) {
        long step = 0;
        try {
            while (writing.get()) {
                for (int i = 0; i < perRound; i++, step++) {
                    for (EventFileWriter writer : writers) {
                        writer.write(TestLogdir.scalar("loss", step));
                    }
                }
                for (EventFileWriter writer : writers) {
                    writer.flush();
                }
                Thread.sleep(pauseMillis);
            }
            for (EventFileWriter writer : writers) {
                writer.close();
            }
            return step;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record payloads of the files, in order, read independently of the uploader. */
    public static List<ByteBuffer> payloads(List<Path> files) throws IOException {
        List<ByteBuffer> payloads = new ArrayList<>();
        for (Path file : files) {
            TestLogdir.records(file).forEach(r -> payloads.add(ByteBuffer.wrap(r.payload())));
        }
        return payloads;
    }
}
