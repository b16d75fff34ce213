package dev.athanor.profile.decode;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stored trace file that can be read from its start more than once (the XPlane reader reads the
 * metadata first, then the events). {@link InputStream#skip} should be cheap: skipped lines are
 * not read.
 */
public interface TraceSource {

    /** The file, as error messages name it. */
    String name();

    InputStream open() throws IOException;
}
