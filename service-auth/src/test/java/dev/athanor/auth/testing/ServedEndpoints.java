package dev.athanor.auth.testing;

import dev.athanor.auth.RestEndpoint;
import io.quarkus.arc.Arc;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The endpoints a running service really serves, to list against its access rules. */
public final class ServedEndpoints {

    private ServedEndpoints() {
    }

    /** Every JAX-RS resource method of the application (Quarkus REST makes each resource class a bean). */
    public static List<String> rest() {
        Set<Class<?>> resources = new LinkedHashSet<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            if (bean.getBeanClass().isAnnotationPresent(Path.class)) {
                resources.add(bean.getBeanClass());
            }
        }
        return RestEndpoint.allOf(resources);
    }
}
