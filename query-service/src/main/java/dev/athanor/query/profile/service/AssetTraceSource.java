package dev.athanor.query.profile.service;

import dev.athanor.profile.decode.TraceSource;
import dev.athanor.query.assets.store.AssetBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stored asset as a trace source: read in ranges of 1 MiB from wherever the asset is (hot root or
 * ingest replica), so neither side holds the file; a skip costs nothing.
 */
final class AssetTraceSource implements TraceSource {

    private static final int RANGE = 1 << 20;

    private final String name;
    private final AssetBytes bytes;
    private final long size;

    AssetTraceSource(String name, AssetBytes bytes, long size) {
        this.name = name;
        this.bytes = bytes;
        this.size = size;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InputStream open() {
        return new InputStream() {
            private final Buffer buffer = new Buffer();
            private long position;
            private int index;

            private boolean fill() throws IOException {
                if (index < buffer.size()) {
                    return true;
                }
                if (position >= size) {
                    return false;
                }
                int n = (int) Math.min(RANGE, size - position);
                buffer.reset();
                bytes.copy(position, n, buffer);
                position += n;
                index = 0;
                return buffer.size() > 0;
            }

            @Override
            public int read() throws IOException {
                return fill() ? buffer.bytes()[index++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, buffer.size() - index);
                System.arraycopy(buffer.bytes(), index, b, off, n);
                index += n;
                return n;
            }

            @Override
            public long skip(long n) {
                long inBuffer = Math.min(n, buffer.size() - index);
                index += (int) inBuffer;
                long beyond = Math.min(n - inBuffer, size - position);
                position += beyond;
                return inBuffer + beyond;
            }
        };
    }

    /** A reusable range buffer whose array is read directly. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(RANGE);
        }

        byte[] bytes() {
            return buf;
        }
    }
}
