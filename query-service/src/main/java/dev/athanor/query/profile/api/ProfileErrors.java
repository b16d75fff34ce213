package dev.athanor.query.profile.api;

import dev.athanor.profile.DecodeProgress;
import dev.athanor.profile.decode.ProfileDecodeException;
import dev.athanor.query.profile.service.ProfileIndexing;
import dev.athanor.query.common.error.ApiError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A stored trace that cannot be decoded (damaged, truncated, too big) is 422 naming the file and
 * what failed; the session's other files and the download still work. A trace still being decoded
 * is 202 with its progress.
 */
public final class ProfileErrors {

    /** How long a client waits before asking again for a trace being decoded. */
    static final int RETRY_AFTER_SECONDS = 1;

    /** The first look at a big trace: 202 with how far its decode got, asked again after Retry-After. */
    @ServerExceptionMapper
    public Response indexing(ProfileIndexing e) {
        DecodeProgress p = e.progress();
        return Response.status(202).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", RETRY_AFTER_SECONDS).header("Cache-Control", "no-store")
                .entity(new ProfileViews.Indexing("indexing", e.file(), Math.floor(p.fraction() * 1000) / 1000,
                        p.bytesRead(), p.fileBytes())).build();
    }

    @ServerExceptionMapper
    public Response unreadable(ProfileDecodeException e) {
        return Response.status(422).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of(422, "PROFILE_UNREADABLE", e.getMessage(), "host")).build();
    }
}
