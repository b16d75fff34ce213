package dev.athanor.uploader.progress;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard output is an interactive terminal. */
public final class Terminals {

    private Terminals() {
    }

    /**
     * On JDK 22+ {@code System.console()} exists even when redirected, so its
     * {@code isTerminal()} (looked up reflectively: this library targets Java 21) decides.
     */
    public static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
