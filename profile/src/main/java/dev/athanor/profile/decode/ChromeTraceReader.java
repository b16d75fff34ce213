package dev.athanor.profile.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams a Chrome trace-event JSON file (PyTorch's {@code *.pt.trace.json[.gz]}, older
 * TensorFlow's {@code *.trace.json.gz}) into a {@link TraceSink}, one event object at a time.
 * Complete ({@code X}) and begin/end ({@code B}/{@code E}) events become events, {@code M}
 * events name lanes, {@code [memory]} instants and memory counters become memory samples.
 */
public final class ChromeTraceReader {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(1 << 24).build()).build();
    private static final String STEP_PREFIX = "ProfilerStep#";
    private static final int MAX_OPEN_RANGES = 10_000;

    /** One event object's fields the report uses. */
    private static final class Ev {
        String ph = "";
        String name = "";
        String cat = "";
        String pid = "";
        String tid = "";
        long tsNs;
        long durNs;
        boolean hasTs;
        String argName;
        String argOp;
        Long totalAllocated;
        Long deviceId;
        final Map<String, Long> counters = new HashMap<>();
    }

    private record Open(String name, String cat, long startNs) {
    }

    private final TraceSource source;
    private final TraceSink sink;
    private final Map<String, Long> lanes = new HashMap<>();
    private final Map<String, String> processNames = new HashMap<>();
    private final Map<String, String> threadNames = new HashMap<>();
    private final Map<Long, ArrayDeque<Open>> open = new HashMap<>();

    private ChromeTraceReader(TraceSource source, TraceSink sink) {
        this.source = source;
        this.sink = sink;
    }

    public static void read(TraceSource source, boolean gzip, TraceSink sink) {
        new ChromeTraceReader(source, sink).read(gzip);
    }

    /** Counts the stored (compressed) bytes read, for messages about truncated files. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }
    }

    private void read(boolean gzip) {
        Counting raw = null;
        JsonParser p = null;
        try (InputStream stored = source.open()) {
            raw = new Counting(stored);
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            p = JSON.createParser(in);
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_ARRAY) {
                events(p);
            } else if (first == JsonToken.START_OBJECT) {
                boolean found = false;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    if (field.equals("traceEvents") && value == JsonToken.START_ARRAY) {
                        events(p);
                        found = true;
                    } else {
                        p.skipChildren();
                    }
                }
                if (!found) {
                    throw new ProfileDecodeException(source.name() + ": a JSON object without \"traceEvents\"; "
                            + "not a Chrome trace");
                }
            } else {
                throw new ProfileDecodeException(source.name() + ": not a Chrome trace (a JSON object or array "
                        + "expected, found " + first + ")");
            }
            open.values().forEach(stack -> stack.forEach(o -> sink.skipped("B events without their E")));
        } catch (ProfileDecodeException e) {
            throw e;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ProfileDecodeException(source.name() + ": damaged JSON at line " + (at == null ? "?" : at.getLineNr())
                    + ", column " + (at == null ? "?" : at.getColumnNr()) + " (" + e.getOriginalMessage() + ")", e);
        } catch (EOFException | ZipException e) {
            throw new ProfileDecodeException(source.name() + ": the gzip stream is damaged or ends early after "
                    + (raw == null ? 0 : raw.count) + " stored bytes (" + e.getMessage() + ")", e);
        } catch (IOException | RuntimeException e) {
            String at = p == null ? "" : " at line " + p.currentLocation().getLineNr();
            throw new ProfileDecodeException(source.name() + ": cannot be read" + at + ": " + e.getMessage(), e);
        }
    }

    private void events(JsonParser p) throws IOException {
        Ev ev = new Ev();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == null) {
                throw new EOFException("the traceEvents array is not closed");
            }
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                sink.skipped("traceEvents entries that are not objects");
                continue;
            }
            readEvent(p, ev);
            dispatch(ev);
        }
    }

    private static void readEvent(JsonParser p, Ev ev) throws IOException {
        ev.ph = "";
        ev.name = "";
        ev.cat = "";
        ev.pid = "";
        ev.tid = "";
        ev.tsNs = 0;
        ev.durNs = 0;
        ev.hasTs = false;
        ev.argName = null;
        ev.argOp = null;
        ev.totalAllocated = null;
        ev.deviceId = null;
        ev.counters.clear();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "ph" -> ev.ph = p.getValueAsString("");
                case "name" -> ev.name = value.isScalarValue() ? p.getValueAsString("") : skip(p);
                case "cat" -> ev.cat = value.isScalarValue() ? p.getValueAsString("") : skip(p);
                case "pid" -> ev.pid = value.isScalarValue() ? p.getText() : skip(p);
                case "tid" -> ev.tid = value.isScalarValue() ? p.getText() : skip(p);
                case "ts" -> {
                    ev.tsNs = micros(p, value);
                    ev.hasTs = true;
                }
                case "dur" -> ev.durNs = micros(p, value);
                case "args" -> readArgs(p, value, ev);
                default -> p.skipChildren();
            }
        }
    }

    private static String skip(JsonParser p) throws IOException {
        p.skipChildren();
        return "";
    }

    private static void readArgs(JsonParser p, JsonToken value, Ev ev) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_STRING && field.equals("name")) {
                ev.argName = p.getText();
            } else if (v == JsonToken.VALUE_STRING && field.equals("op")) {
                ev.argOp = p.getText();
            } else if (v.isNumeric()) {
                long number = p.getValueAsLong();
                switch (field) {
                    case "Total Allocated" -> ev.totalAllocated = number;
                    case "Device Id" -> ev.deviceId = number;
                    default -> {
                        if (ev.counters.size() < 8) {
                            ev.counters.put(field, number);
                        }
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    /** A time in microseconds (a number or a string, with decimals for ns) as nanoseconds, exactly. */
    static long micros(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT) {
            return Math.multiplyExact(p.getLongValue(), 1000L);
        }
        if (value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_STRING) {
            try {
                return new BigDecimal(p.getText().trim()).movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP)
                        .longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IOException("a time that is not a number: '" + p.getText() + "'");
            }
        }
        p.skipChildren();
        return 0;
    }

    private long lane(Ev ev) {
        String key = ev.pid + "\u0000" + ev.tid;
        Long lane = lanes.get(key);
        if (lane == null) {
            lane = (long) lanes.size();
            lanes.put(key, lane);
            sink.lane(lane, laneName(ev.pid, ev.tid), false);
        }
        return lane;
    }

    private String laneName(String pid, String tid) {
        String process = processNames.getOrDefault(pid, "process " + pid);
        String thread = threadNames.getOrDefault(pid + "\u0000" + tid, "thread " + tid);
        return process + " · " + thread;
    }

    private void dispatch(Ev ev) {
        switch (ev.ph) {
            case "X" -> complete(lane(ev), ev.name, ev.cat, ev.argOp, ev.tsNs, ev.durNs);
            case "B" -> {
                ArrayDeque<Open> stack = open.computeIfAbsent(lane(ev), l -> new ArrayDeque<>());
                if (stack.size() >= MAX_OPEN_RANGES) {
                    sink.skipped("B events nested deeper than " + MAX_OPEN_RANGES);
                } else {
                    stack.push(new Open(ev.name, ev.cat, ev.tsNs));
                }
            }
            case "E" -> {
                long lane = lane(ev);
                ArrayDeque<Open> stack = open.get(lane);
                if (stack == null || stack.isEmpty()) {
                    sink.skipped("E events without their B");
                } else {
                    Open b = stack.pop();
                    complete(lane, b.name(), b.cat(), null, b.startNs(), Math.max(0, ev.tsNs - b.startNs()));
                }
            }
            case "M" -> metadata(ev);
            case "i", "I", "n" -> {
                if (ev.name.equals("[memory]") && ev.totalAllocated != null) {
                    long device = ev.deviceId == null ? -1 : ev.deviceId;
                    sink.memory(device < 0 ? "CPU" : "device " + device, ev.tsNs, ev.totalAllocated);
                } else {
                    sink.skipped("instant events");
                }
            }
            case "C" -> {
                if (ev.name.toLowerCase(Locale.ROOT).contains("mem") && !ev.counters.isEmpty()) {
                    ev.counters.forEach((k, v) -> sink.memory(ev.name + " " + k, ev.tsNs, v));
                } else {
                    sink.skipped("counter events other than memory");
                }
            }
            default -> sink.skipped("'" + ev.ph + "' events (flows, async, samples)");
        }
    }

    private void metadata(Ev ev) {
        if (ev.argName == null) {
            return;
        }
        if (ev.name.equals("process_name")) {
            processNames.put(ev.pid, ev.argName);
        } else if (ev.name.equals("thread_name")) {
            threadNames.put(ev.pid + "\u0000" + ev.tid, ev.argName);
        } else {
            return;
        }
        lanes.forEach((key, lane) -> {
            int sep = key.indexOf('\u0000');
            String pid = key.substring(0, sep);
            if (pid.equals(ev.pid)) {
                sink.lane(lane, laneName(pid, key.substring(sep + 1)), false);
            }
        });
    }

    private void complete(long lane, String name, String cat, String op, long start, long duration) {
        if (name.startsWith(STEP_PREFIX)) {
            long step;
            try {
                step = Long.parseLong(name.substring(STEP_PREFIX.length()).trim());
            } catch (NumberFormatException e) {
                step = -1;
            }
            sink.step(lane, step, start, duration, name);
            return;
        }
        String c = cat.toLowerCase(Locale.ROOT);
        EventKind kind = switch (c) {
            case "kernel" -> Classifier.copyOrCollective(name) ? EventKind.MEMCPY : EventKind.DEVICE_OP;
            case "gpu_memcpy", "gpu_memset" -> EventKind.MEMCPY;
            case "cpu_op", "user_annotation", "operator", "op" ->
                    Classifier.input(name) ? EventKind.INPUT_OP : EventKind.HOST_OP;
            default -> Classifier.input(name) ? EventKind.INPUT : EventKind.OTHER;
        };
        sink.event(lane, start, duration, name, op != null ? op : cat, kind);
    }
}
