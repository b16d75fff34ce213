package dev.athanor.cli.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the {@link UploadedSuite}: started on first use, shared by every test class of the run
 * (the suite takes a while to start), and stopped when the run ends (the root store closes it).
 */
public final class UploadedSuiteExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == UploadedSuite.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(UploadedSuite.class, key -> UploadedSuite.start(), UploadedSuite.class);
    }
}
