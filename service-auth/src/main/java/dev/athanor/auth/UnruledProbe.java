package dev.athanor.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test-only resource class or gRPC service left without access rules on purpose, to prove the
 * edge refuses what has no rule: {@link UnruledEndpointCheck} lets it start (with a warning) rather
 * than refusing the test application. Never on a served endpoint: the edge still refuses it to everyone.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface UnruledProbe {
}
