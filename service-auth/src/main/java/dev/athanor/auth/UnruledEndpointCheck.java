package dev.athanor.auth;

import io.grpc.BindableService;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * At start: every JAX-RS resource method and every gRPC method the service serves has an access rule
 * ({@link EndpointRules}), else the service refuses to start with one log line per unruled endpoint.
 * The edges refuse an unruled endpoint to everyone at request time too; this makes shipping one
 * impossible rather than merely closed. Classes marked {@link UnruledProbe} (test-only) are let be.
 */
@ApplicationScoped
public class UnruledEndpointCheck {

    private static final Logger LOG = Logger.getLogger(UnruledEndpointCheck.class);

    /**
     * What a service serves, found in the running application.
     *
     * @param probes the endpoints of {@link UnruledProbe} classes (REST and gRPC), kept apart
     */
    public record Served(List<String> rest, List<String> grpc, List<String> probes) {
    }

    void onStart(@Observes StartupEvent event, Instance<EndpointRules> tables) {
        EndpointRules rules = tables.isResolvable() ? tables.get() : null;
        refuseUnruled(rules, served());
    }

    /**
     * Logs one error line per unruled endpoint and throws, which stops the start; a probe only warns.
     *
     * @throws IllegalStateException naming every unruled endpoint
     */
    public static void refuseUnruled(EndpointRules rules, Served served) {
        served.probes().forEach(probe -> LOG.warnf("%s is a test probe without access rules (@UnruledProbe): "
                + "the edge refuses it to everyone", probe));
        List<String> unruled = unruled(rules, served);
        if (!unruled.isEmpty()) {
            unruled.forEach(LOG::error);
            throw new IllegalStateException(unruled.size() + " endpoint(s) without an access rule, so the service"
                    + " does not start: " + String.join("; ", unruled));
        }
    }

    /**
     * One line per endpoint of {@code served} without a rule in {@code rules} (null: the service declared
     * no {@link EndpointRules} bean at all), naming the endpoint and the table it belongs in.
     */
    public static List<String> unruled(EndpointRules rules, Served served) {
        List<String> lines = new ArrayList<>();
        AccessRules rest = rules == null ? AccessRules.of() : rules.rest();
        AccessRules grpc = rules == null ? AccessRules.of() : rules.grpc();
        rest.unruled(served.rest()).forEach(endpoint -> lines.add("REST endpoint " + endpoint
                + " has no access rule: add one to the service's REST rule table" + table(rules, "rest")));
        grpc.unruled(served.grpc()).forEach(method -> lines.add("gRPC method " + method
                + " has no access rule: add one to the service's gRPC rule table" + table(rules, "grpc")));
        return lines;
    }

    private static String table(EndpointRules rules, String which) {
        return rules == null ? " (the service has no EndpointRules bean)"
                : " (" + rules.getClass().getSimpleName().replace("_Subclass", "").replace("_ClientProxy", "")
                + "." + which + "())";
    }

    /** Every resource method (Quarkus REST makes each resource class a bean) and every bound gRPC method. */
    public static Served served() {
        Set<Class<?>> resources = new LinkedHashSet<>();
        Set<Class<?>> probeResources = new LinkedHashSet<>();
        Collection<Bean<?>> beans = Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE);
        for (Bean<?> bean : beans) {
            Class<?> type = bean.getBeanClass();
            if (type.isAnnotationPresent(Path.class)) {
                (type.isAnnotationPresent(UnruledProbe.class) ? probeResources : resources).add(type);
            }
        }
        List<String> probes = new ArrayList<>(RestEndpoint.allOf(probeResources));
        Set<String> grpc = new TreeSet<>();
        for (BindableService service : Arc.container().select(BindableService.class, Any.Literal.INSTANCE)) {
            boolean probe = isProbe(service.getClass());
            service.bindService().getMethods().forEach(m -> (probe ? probes : grpc)
                    .add(m.getMethodDescriptor().getFullMethodName()));
        }
        return new Served(RestEndpoint.allOf(resources), List.copyOf(grpc), probes);
    }

    /** The class or, for a CDI subclass / proxy, the class it stands for. */
    private static boolean isProbe(Class<?> type) {
        return type.isAnnotationPresent(UnruledProbe.class)
                || (type.getSuperclass() != null && type.getSuperclass().isAnnotationPresent(UnruledProbe.class));
    }
}
