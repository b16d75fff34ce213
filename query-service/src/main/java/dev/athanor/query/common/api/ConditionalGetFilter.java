package dev.athanor.query.common.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Conditional GETs for JSON answers: every 200 JSON GET under /api/v1 gets an ETag (a hash of the
 * JSON it sends), and a request whose If-None-Match holds that tag gets 304 without a body. The
 * web UI polls runs, tags and charts while runs train; when nothing changed the network carries no
 * body. Streams (exports, blob bytes, CSV) are left alone.
 *
 * <p>The tag is weak ({@code W/"…"}): the same JSON goes out as br, gzip or identity bytes, and a
 * strong tag would claim those are byte-identical (RFC 9110 §8.8.1), which caches that store one
 * coding and revalidate with another could trip over. The JSON hashed is the JSON sent: the bytes
 * become the entity, so the answer is serialized once, not twice.
 */
@Provider
@Priority(Priorities.HEADER_DECORATOR)
public class ConditionalGetFilter implements ContainerResponseFilter {

    @Inject
    ObjectMapper json;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) throws IOException {
        if (!"GET".equals(request.getMethod()) || response.getStatus() != 200 || !response.hasEntity()
                || !request.getUriInfo().getPath().startsWith("/api/v1/")) {
            return;
        }
        Object entity = response.getEntity();
        MediaType type = response.getMediaType();
        if (entity instanceof StreamingOutput || entity instanceof InputStream || entity instanceof byte[]
                || entity instanceof CharSequence || (type != null && !type.isCompatible(MediaType.APPLICATION_JSON_TYPE))) {
            return;
        }
        byte[] body = json.writeValueAsBytes(entity);
        String etag = "W/\"" + hash(body) + "\"";
        response.setEntity(body, response.getEntityAnnotations(), MediaType.APPLICATION_JSON_TYPE);
        response.getHeaders().putSingle(HttpHeaders.ETAG, etag);
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-cache");
        if (matches(request.getHeaderString(HttpHeaders.IF_NONE_MATCH), etag)) {
            response.setStatus(304);
            response.setEntity(null);
        }
    }

    /** If-None-Match holds a list of tags (or *), compared weakly as RFC 9110 says for it: W/ aside. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        String ours = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || opaque(tag).equals(ours)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static String hash(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
