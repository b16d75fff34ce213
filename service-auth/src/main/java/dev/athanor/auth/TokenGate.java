package dev.athanor.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Turns an Authorization value into a {@link Caller} or a 401 / UNAUTHENTICATED message, for REST
 * filters and the gRPC interceptor alike. The verification is quarkus-oidc's; this decides what
 * the caller is told.
 */
@ApplicationScoped
public class TokenGate {

    private static final Logger LOG = Logger.getLogger(TokenGate.class);

    /** Either a caller or why there is none. */
    public record Result(Caller caller, String problem) {
        public boolean ok() {
            return caller != null;
        }
    }

    private final AuthSettings settings;

    public TokenGate(AuthSettings settings) {
        this.settings = settings;
    }

    /**
     * @param authorization the raw header / metadata value (may be null)
     * @param verify        verifies a well-formed token and yields the identity (fails when refused)
     */
    public Uni<Result> authenticate(String authorization, Function<String, Uni<SecurityIdentity>> verify) {
        if (!settings.enabled()) {
            return Uni.createFrom().item(new Result(Caller.LOCAL, null));
        }
        BearerHeader.Parsed parsed = BearerHeader.parse(authorization);
        if (!parsed.ok()) {
            return Uni.createFrom().item(new Result(null, parsed.problem()));
        }
        Uni<SecurityIdentity> identity;
        try {
            identity = verify.apply(parsed.token());
        } catch (RuntimeException e) {
            identity = Uni.createFrom().failure(e);
        }
        return identity.onItemOrFailure().transform((id, failure) -> {
            if (failure != null || id == null || id.isAnonymous()) {
                String why = TokenDiagnosis.explain(parsed.token(), settings.issuer(), settings.audience(), Instant.now());
                LOG.debugf(failure, "bearer token refused: %s", why);
                return new Result(null, why);
            }
            return new Result(Caller.of(id), null);
        });
    }
}
