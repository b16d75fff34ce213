package dev.athanor.cli;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest, so it is whatever Maven built. */
public final class AthanorVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = AthanorVersion.class.getPackage().getImplementationVersion();
        return new String[] {"athanor " + (version == null ? "(development build)" : version),
            "Java " + Runtime.version()};
    }
}
