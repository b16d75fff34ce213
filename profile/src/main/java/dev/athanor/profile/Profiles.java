package dev.athanor.profile;

import dev.athanor.profile.decode.ChromeTraceReader;
import dev.athanor.profile.decode.ProfileDecodeException;
import dev.athanor.profile.decode.ProfileFormat;
import dev.athanor.profile.decode.TraceSource;
import dev.athanor.profile.decode.XPlaneReader;
import dev.athanor.profile.index.Limits;
import dev.athanor.profile.index.ProfileIndex;
import dev.athanor.profile.index.ProfileIndexer;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Decodes one trace file into a {@link ProfileIndex} whose timeline lives in {@code dir}. */
public final class Profiles {

    private Profiles() {
    }

    /**
     * @throws ProfileDecodeException for a damaged, truncated or too big trace, naming the file
     */
    public static ProfileIndex decode(TraceSource source, ProfileFormat format, Path dir, Limits limits) {
        return decode(source, format, dir, limits, new DecodeProgress(0));
    }

    /**
     * As {@link #decode(TraceSource, ProfileFormat, Path, Limits)}, telling {@code progress} how far
     * it got (for a caller that answers others while it decodes).
     */
    public static ProfileIndex decode(TraceSource source, ProfileFormat format, Path dir, Limits limits,
                                      DecodeProgress progress) {
        ProfileIndexer indexer = new ProfileIndexer(source.name(), dir, limits, progress);
        try {
            switch (format) {
                case XPLANE -> XPlaneReader.read(progress.counting(source, XPlaneReader.PASSES), indexer,
                        limits.maxKeys());
                case PYTORCH_TRACE, CHROME_TRACE -> ChromeTraceReader.read(progress.counting(source, 1),
                        format.gzip(source.name()), indexer);
            }
            return indexer.build();
        } catch (ProfileDecodeException | UncheckedIOException e) {
            indexer.discard();
            throw e;
        } catch (RuntimeException e) {
            indexer.discard();
            throw new ProfileDecodeException(source.name() + ": " + e, e);
        }
    }
}
