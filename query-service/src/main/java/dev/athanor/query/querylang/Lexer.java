package dev.athanor.query.querylang;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a filter expression into tokens. Names may contain letters, digits, '_', '-', '/' and
 * ':' (so most tags need no quotes: {@code metrics.train/loss}); anything else goes in quotes.
 * Strings use double or single quotes with backslash escapes. A '-' directly before a digit starts
 * a negative number.
 */
public final class Lexer {

    /** Expressions longer than this are refused before any work is done. */
    public static final int MAX_LENGTH = 10_000;

    private final String where;
    private final String input;
    private int pos;

    public Lexer(String where, String input) {
        this.where = where;
        this.input = input;
    }

    public static List<Token> tokenize(String where, String input) {
        return new Lexer(where, input).tokens();
    }

    public List<Token> tokens() {
        if (input.length() > MAX_LENGTH) {
            throw new QuerySyntaxException(where, MAX_LENGTH + 1,
                    "the expression is longer than " + MAX_LENGTH + " characters");
        }
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipWhitespace();
            if (pos >= input.length()) {
                tokens.add(new Token(TokenType.EOF, "", pos + 1));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private Token next() {
        int start = pos;
        char c = input.charAt(pos);
        switch (c) {
            case '(' -> { pos++; return token(TokenType.LPAREN, start); }
            case ')' -> { pos++; return token(TokenType.RPAREN, start); }
            case ',' -> { pos++; return token(TokenType.COMMA, start); }
            case '.' -> {
                if (pos + 1 < input.length() && Character.isDigit(input.charAt(pos + 1))
                        && (pos == 0 || !isNameChar(input.charAt(pos - 1)))) {
                    return number(start);
                }
                pos++;
                return token(TokenType.DOT, start);
            }
            case '@' -> { pos++; return token(TokenType.AT, start); }
            case '~' -> { pos++; return token(TokenType.MATCH, start); }
            case '=' -> {
                pos += peek(1) == '=' ? 2 : 1;
                return token(TokenType.EQ, start);
            }
            case '!' -> {
                if (peek(1) == '=') {
                    pos += 2;
                    return token(TokenType.NE, start);
                }
                if (peek(1) == '~') {
                    pos += 2;
                    return token(TokenType.NOT_MATCH, start);
                }
                throw new QuerySyntaxException(where, start + 1, "'!=' or '!~'", "'!'");
            }
            case '<' -> {
                if (peek(1) == '=') {
                    pos += 2;
                    return token(TokenType.LE, start);
                }
                if (peek(1) == '>') {
                    pos += 2;
                    return token(TokenType.NE, start);
                }
                pos++;
                return token(TokenType.LT, start);
            }
            case '>' -> {
                if (peek(1) == '=') {
                    pos += 2;
                    return token(TokenType.GE, start);
                }
                pos++;
                return token(TokenType.GT, start);
            }
            case '"', '\'' -> {
                return string(start, c);
            }
            default -> {
                if (Character.isDigit(c) || (c == '-' && (Character.isDigit(peek(1)) || peek(1) == '.'))
                        || (c == '+' && Character.isDigit(peek(1)))) {
                    return number(start);
                }
                if (c == '-') {
                    pos++;
                    return token(TokenType.MINUS, start);
                }
                if (Character.isLetter(c) || c == '_') {
                    while (pos < input.length() && isNameChar(input.charAt(pos))) {
                        pos++;
                    }
                    return new Token(TokenType.IDENT, input.substring(start, pos), start + 1);
                }
                throw new QuerySyntaxException(where, start + 1,
                        "a name, a value, an operator or a parenthesis",
                        "'" + describeChar(c) + "'");
            }
        }
    }

    private Token number(int start) {
        if (input.charAt(pos) == '-' || input.charAt(pos) == '+') {
            pos++;
        }
        while (pos < input.length() && (Character.isDigit(input.charAt(pos)) || input.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < input.length() && (input.charAt(pos) == 'e' || input.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            if (pos < input.length() && (input.charAt(pos) == '+' || input.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < input.length() && Character.isDigit(input.charAt(pos))) {
                while (pos < input.length() && Character.isDigit(input.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = mark;
            }
        }
        String text = input.substring(start, pos);
        try {
            Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new QuerySyntaxException(where, start + 1, "a number", "'" + text + "'");
        }
        if (isDurationUnit(text)) {
            pos++;
            return new Token(TokenType.DURATION, input.substring(start, pos), start + 1);
        }
        if (pos < input.length() && isNameChar(input.charAt(pos)) && !Character.isDigit(input.charAt(pos))) {
            throw new QuerySyntaxException(where, pos + 1, "an operator or whitespace after the number " + text,
                    "'" + describeChar(input.charAt(pos)) + "'");
        }
        return new Token(TokenType.NUMBER, text, start + 1);
    }

    /**
     * A whole number directly followed by one of s, m, h, d and then a separator: a duration such
     * as {@code 15m} (alert conditions' {@code for 15m}). Filters have no place for one, so they
     * refuse it as a value, as they did before.
     */
    private boolean isDurationUnit(String number) {
        if (pos >= input.length() || "smhd".indexOf(input.charAt(pos)) < 0 || !number.chars().allMatch(Character::isDigit)) {
            return false;
        }
        return pos + 1 >= input.length() || !isNameChar(input.charAt(pos + 1));
    }

    private Token string(int start, char quote) {
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (c == quote) {
                pos++;
                return new Token(TokenType.STRING, value.toString(), start + 1);
            }
            if (c == '\\') {
                if (pos + 1 >= input.length()) {
                    break;
                }
                char escaped = input.charAt(pos + 1);
                switch (escaped) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case '\\', '"', '\'' -> value.append(escaped);
                    default -> {
                        // Unknown escapes are kept as written: regexes use \d, \w, \. freely.
                        value.append('\\').append(escaped);
                    }
                }
                pos += 2;
                continue;
            }
            value.append(c);
            pos++;
        }
        throw new QuerySyntaxException(where, start + 1, "the string that starts here to end with " + quote
                + " (closing quote missing)");
    }

    private Token token(TokenType type, int start) {
        return new Token(type, input.substring(start, pos), start + 1);
    }

    private char peek(int delta) {
        int i = pos + delta;
        return i >= 0 && i < input.length() ? input.charAt(i) : '\0';
    }

    private void skipWhitespace() {
        while (pos < input.length() && Character.isWhitespace(input.charAt(pos))) {
            pos++;
        }
    }

    static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '/' || c == ':';
    }

    private static String describeChar(char c) {
        return Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
