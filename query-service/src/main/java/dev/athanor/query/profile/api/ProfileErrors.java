package dev.athanor.query.profile.api;

import dev.athanor.profile.decode.ProfileDecodeException;
import dev.athanor.query.common.error.ApiError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A stored trace that cannot be decoded (damaged, truncated, too big) is 422 naming the file and
 * what failed; the session's other files and the download still work.
 */
public final class ProfileErrors {

    @ServerExceptionMapper
    public Response unreadable(ProfileDecodeException e) {
        return Response.status(422).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of(422, "PROFILE_UNREADABLE", e.getMessage(), "host")).build();
    }
}
