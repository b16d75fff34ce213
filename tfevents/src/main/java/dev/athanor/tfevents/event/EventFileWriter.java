package dev.athanor.tfevents.event;

import dev.athanor.proto.tensorboard.Event;
import dev.athanor.tfevents.record.TfRecordWriter;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes an event file as TensorFlow does: a {@code brain.Event:2} file-version record first,
 * then one record per Event, in a file named {@code events.out.tfevents.<secs>.<host>.<pid>.<n>}.
 * Stock TensorBoard reads what it writes.
 */
public final class EventFileWriter implements Closeable, Flushable {

    public static final String FILE_VERSION = "brain.Event:2";

    private static final AtomicLong COUNTER = new AtomicLong();

    private final Path file;
    private final TfRecordWriter records;

    private EventFileWriter(Path file, OutputStream out) {
        this.file = file;
        this.records = new TfRecordWriter(new BufferedOutputStream(out, 1 << 16));
    }

    /** Creates a new event file in {@code runDir} (created if missing) and writes the version record. */
    public static EventFileWriter create(Path runDir, Clock clock) throws IOException {
        Files.createDirectories(runDir);
        long millis = clock.millis();
        String name = EventFileNames.name(millis / 1000, hostName(), ProcessHandle.current().pid(),
                COUNTER.getAndIncrement(), "");
        Path file = runDir.resolve(name);
        EventFileWriter writer = new EventFileWriter(file,
                Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        writer.write(Event.newBuilder().setWallTime(millis / 1000.0).setFileVersion(FILE_VERSION).build());
        return writer;
    }

    public static EventFileWriter create(Path runDir) throws IOException {
        return create(runDir, Clock.systemUTC());
    }

    /** Writes to an arbitrary stream, without a version record: for callers that frame raw events. */
    public static EventFileWriter wrap(Path nameForMessages, OutputStream out) {
        return new EventFileWriter(nameForMessages, out);
    }

    public Path file() {
        return file;
    }

    /** Appends one event; returns its frame's offset in the file. */
    public long write(Event event) throws IOException {
        return records.write(event.toByteArray());
    }

    /** Appends an already serialized Event unchanged (byte-exact round trips). */
    public long writeSerialized(byte[] payload) throws IOException {
        return records.write(payload);
    }

    /** Size of the file so far (what is buffered included). */
    public long position() {
        return records.position();
    }

    @Override
    public void flush() throws IOException {
        records.flush();
    }

    @Override
    public void close() throws IOException {
        records.close();
    }

    private static String hostName() {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            int dot = host.indexOf('.');
            return dot > 0 ? host.substring(0, dot) : host;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
