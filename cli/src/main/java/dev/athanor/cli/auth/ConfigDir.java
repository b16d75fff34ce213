package dev.athanor.cli.auth;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the CLI keeps per-user state (the login store): the system property
 * {@value #PROPERTY} if set, else {@code $ATHANOR_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/athanor},
 * else {@code ~/.config/athanor}.
 */
public final class ConfigDir {

    public static final String PROPERTY = "athanor.config.dir";
    public static final String ENV = "ATHANOR_CONFIG_DIR";

    private ConfigDir() {
    }

    public static Path resolve() {
        return resolve(System.getProperty(PROPERTY), System.getenv(), System.getProperty("user.home"));
    }

    static Path resolve(String property, Map<String, String> environment, String userHome) {
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String own = environment.get(ENV);
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = environment.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "athanor");
        }
        return Path.of(userHome, ".config", "athanor");
    }
}
