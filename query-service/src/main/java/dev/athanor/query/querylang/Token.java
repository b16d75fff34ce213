package dev.athanor.query.querylang;

/**
 * One token of a filter expression.
 *
 * @param type   what kind of token
 * @param text   the token's value: an identifier, the unescaped contents of a string, or the
 *               characters of a number or operator
 * @param column 1-based column of its first character in the expression
 */
public record Token(TokenType type, String text, int column) {

    public boolean isKeyword(String keyword) {
        return type == TokenType.IDENT && text.equalsIgnoreCase(keyword);
    }

    /** How the token reads in an error message. */
    public String describe() {
        return switch (type) {
            case EOF -> "the end of the expression";
            case STRING -> "the string \"" + text + "\"";
            case IDENT -> "'" + text + "'";
            default -> "'" + text + "'";
        };
    }
}
