package dev.athanor.query.info.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a client needs before its first call: the service version, whether (and where) to sign in,
 * and where TensorBoard's data-provider protocol is served ({@code athanor tensorboard} reads it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceInfo(String service, String version, Auth auth, DataProvider dataProvider) {

    /** The data-provider gRPC port on this service's host; left out when the port is chosen at start (0). */
    public record DataProvider(int port) {
    }

    /**
     * Sign-in settings for the web UI's authorization-code flow with PKCE. With auth off only
     * {@code enabled=false} is present.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Auth(boolean enabled, String issuer, String clientId, String scopes) {

        public static Auth off() {
            return new Auth(false, null, null, null);
        }
    }
}
