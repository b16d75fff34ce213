package dev.athanor.archive.layout;

/** A segment path that must not become an object key (it could leave the prefix, or is no event file). */
public class UnsafePathException extends Exception {

    private final String path;

    public UnsafePathException(String path, String problem) {
        super("refusing to archive '" + printable(path) + "': " + problem);
        this.path = path;
    }

    public String path() {
        return path;
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(300).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
