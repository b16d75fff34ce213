package dev.athanor.query.querylang.ast;

/** Writes names back the way the lexer reads them. */
final class Names {

    private Names() {
    }

    static String quoteIfNeeded(String name) {
        if (!name.isEmpty() && (Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')
                && name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '/' || c == ':')) {
            return name;
        }
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
