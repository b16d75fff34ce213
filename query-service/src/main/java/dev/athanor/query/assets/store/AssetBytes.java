package dev.athanor.query.assets.store;

import java.io.IOException;
import java.io.OutputStream;

/** Where a stored asset's bytes are read from: this machine's hot root or the ingest replica that stored it. */
public interface AssetBytes {

    /** Writes bytes {@code [first, first + length)} of the asset to {@code out}. */
    void copy(long first, long length, OutputStream out) throws IOException;
}
