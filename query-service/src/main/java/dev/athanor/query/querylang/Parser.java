package dev.athanor.query.querylang;

import dev.athanor.query.querylang.ast.Aggregate;
import dev.athanor.query.querylang.ast.AlertCondition;
import dev.athanor.query.querylang.ast.CompareOp;
import dev.athanor.query.querylang.ast.Expr;
import dev.athanor.query.querylang.ast.Literal;
import dev.athanor.query.querylang.ast.Operand;
import dev.athanor.query.querylang.ast.Operands;
import dev.athanor.query.querylang.ast.RunAttribute;
import dev.athanor.query.querylang.ast.SortKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Recursive-descent parser for run filters, sort keys and column lists.
 *
 * <pre>
 * filter    := or EOF
 * or        := and ("or" and)*
 * and       := unary ("and" unary)*
 * unary     := "not" unary | primary
 * primary   := "(" or ")" | "no" ("nan"|"inf"|"nonfinite") "in" metric | predicate
 * predicate := operand ( cmp literal | ["not"] "in" "(" literal ("," literal)* ")"
 *                      | ("~" | "!~") string | "is" ["not"] "null" )
 * operand   := attribute | "hparams" "." name ("." name)* | metric
 * metric    := "metrics" "." name ("." name)* ["@" ("last"|"min"|"max"|"count"|"step" "=" integer)]
 * literal   := string | number | "true" | "false" | "null"
 * sort      := ["-"] operand ["asc"|"desc"] ("," ...)*
 * </pre>
 * Keywords are case-insensitive. Names are identifiers or quoted strings.
 */
public final class Parser {

    private static final Set<String> RESERVED = Set.of("and", "or", "not", "in", "is", "null", "true", "false");

    /** Nesting bound for parentheses and 'not', so a hostile expression cannot exhaust the stack. */
    static final int MAX_DEPTH = 64;

    private final String where;
    private final List<Token> tokens;
    private int index;
    private int depth;

    private Parser(String where, String input) {
        this.where = where;
        this.tokens = Lexer.tokenize(where, input);
    }

    /** Parses a whole filter expression; {@code where} names the parameter in error messages. */
    public static Expr parseFilter(String where, String input) {
        Parser parser = new Parser(where, input);
        if (parser.peek().type() == TokenType.EOF) {
            throw new QuerySyntaxException(where, 1, "an expression", "an empty " + where);
        }
        Expr expr = parser.or();
        parser.expect(TokenType.EOF, "'and', 'or' or the end of the expression");
        return expr;
    }

    /**
     * Parses an alert rule's condition:
     * <pre>
     * condition := "no" "new" "points" "in" metric "for" duration EOF
     *            | or ["after" "step" integer] EOF
     * </pre>
     * A lone {@code no nan|inf|nonfinite in metric} is a guard that fires when broken; inside a
     * larger expression it is refused, since "fires when the expression holds" would then read
     * backwards for it.
     */
    public static AlertCondition parseAlertCondition(String where, String input) {
        Parser parser = new Parser(where, input);
        if (parser.peek().type() == TokenType.EOF) {
            throw new QuerySyntaxException(where, 1, "a condition", "an empty " + where);
        }
        if (parser.peek().isKeyword("no") && parser.peek(1).isKeyword("new")) {
            return parser.stalled();
        }
        Expr expr = parser.or();
        OptionalLong afterStep = OptionalLong.empty();
        if (parser.peek().isKeyword("after")) {
            parser.advance();
            parser.expectKeyword("step", "'step' after 'after' (as in after step 10000)");
            Token n = parser.peek();
            if (n.type() != TokenType.NUMBER || !new Literal.Num(n.text(), n.column()).isIntegral()
                    || n.text().startsWith("-")) {
                throw new QuerySyntaxException(where, n.column(), "a whole step number after 'after step'", n.describe());
            }
            parser.advance();
            afterStep = OptionalLong.of(new Literal.Num(n.text(), n.column()).longValue());
        }
        parser.expect(TokenType.EOF, "'and', 'or', 'after step N' or the end of the condition");
        if (expr instanceof Expr.NoNonFinite guard) {
            return new AlertCondition.Broken(guard, afterStep);
        }
        refuseNestedGuards(where, expr);
        if (afterStep.isPresent() && !namesAMetric(expr)) {
            throw new QuerySyntaxException(where, 1, "'after step N' counts the steps of the metrics a condition"
                    + " names; this condition names none");
        }
        return new AlertCondition.Holds(expr, afterStep);
    }

    private AlertCondition stalled() {
        advance();
        advance();
        expectKeyword("points", "'points' (as in no new points in metrics.loss for 15m)");
        expectKeyword("in", "'in' (as in no new points in metrics.loss for 15m)");
        Token start = peek();
        Operand operand = operand();
        if (!(operand instanceof Operand.Metric metric) || hasExplicitAggregate) {
            throw new QuerySyntaxException(where, start.column(), "a metric without @ such as metrics.loss after"
                    + " 'no new points in'", "'" + operand.display() + "'");
        }
        expectKeyword("for", "'for' and a duration (as in for 15m)");
        Token d = peek();
        if (d.type() != TokenType.DURATION) {
            throw new QuerySyntaxException(where, d.column(), "a duration such as 90s, 15m, 2h or 1d", d.describe());
        }
        advance();
        expect(TokenType.EOF, "the end of the condition after the duration");
        return new AlertCondition.Stalled(metric, duration(d));
    }

    private Duration duration(Token d) {
        String text = d.text();
        long amount;
        try {
            amount = Long.parseLong(text.substring(0, text.length() - 1));
        } catch (NumberFormatException e) {
            throw new QuerySyntaxException(where, d.column(), "a duration of at most 365 days", d.describe());
        }
        Duration unit = switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(1);
            case 'm' -> Duration.ofMinutes(1);
            case 'h' -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        if (amount < 1 || amount > MAX_QUIET.dividedBy(unit)) {
            throw new QuerySyntaxException(where, d.column(), "a duration from 1s to 365d", d.describe());
        }
        return unit.multipliedBy(amount);
    }

    private static final Duration MAX_QUIET = Duration.ofDays(365);

    private static void refuseNestedGuards(String where, Expr expr) {
        switch (expr) {
            case Expr.And and -> and.terms().forEach(t -> refuseNestedGuards(where, t));
            case Expr.Or or -> or.terms().forEach(t -> refuseNestedGuards(where, t));
            case Expr.Not not -> refuseNestedGuards(where, not.term());
            case Expr.NoNonFinite n -> throw new QuerySyntaxException(where, n.column(), "'no nan|inf|nonfinite in'"
                    + " is a guard that fires when broken: give it a rule of its own");
            default -> {
            }
        }
    }

    private static boolean namesAMetric(Expr expr) {
        return Operands.of(expr).stream().anyMatch(o -> o instanceof Operand.Metric);
    }

    private void expectKeyword(String keyword, String expected) {
        if (!peek().isKeyword(keyword)) {
            throw new QuerySyntaxException(where, peek().column(), expected, peek().describe());
        }
        advance();
    }

    /** Parses {@code -metrics.loss@min, name asc}. */
    public static List<SortKey> parseSort(String where, String input) {
        Parser parser = new Parser(where, input);
        List<SortKey> keys = new ArrayList<>();
        do {
            boolean descending = false;
            if (parser.peek().type() == TokenType.MINUS) {
                parser.advance();
                descending = true;
            }
            Operand operand = parser.operand();
            if (parser.peek().isKeyword("desc")) {
                parser.advance();
                descending = true;
            } else if (parser.peek().isKeyword("asc")) {
                parser.advance();
            }
            keys.add(new SortKey(operand, descending));
        } while (parser.acceptComma());
        parser.expect(TokenType.EOF, "',' or the end of the sort order");
        return keys;
    }

    /** Parses a comma-separated list of operands (the extra columns of a run listing). */
    public static List<Operand> parseOperands(String where, String input) {
        Parser parser = new Parser(where, input);
        List<Operand> operands = new ArrayList<>();
        do {
            operands.add(parser.operand());
        } while (parser.acceptComma());
        parser.expect(TokenType.EOF, "',' or the end of the list");
        return operands;
    }

    private Expr or() {
        int column = peek().column();
        List<Expr> terms = new ArrayList<>();
        terms.add(and());
        while (peek().isKeyword("or")) {
            advance();
            terms.add(and());
        }
        return terms.size() == 1 ? terms.get(0) : new Expr.Or(terms, column);
    }

    private Expr and() {
        int column = peek().column();
        List<Expr> terms = new ArrayList<>();
        terms.add(unary());
        while (peek().isKeyword("and")) {
            advance();
            terms.add(unary());
        }
        return terms.size() == 1 ? terms.get(0) : new Expr.And(terms, column);
    }

    private Expr unary() {
        Token t = peek();
        if (++depth > MAX_DEPTH) {
            throw new QuerySyntaxException(where, t.column(), "the expression nests deeper than " + MAX_DEPTH + " levels");
        }
        try {
            if (t.isKeyword("not")) {
                advance();
                return new Expr.Not(unary(), t.column());
            }
            return primary();
        } finally {
            depth--;
        }
    }

    private Expr primary() {
        Token t = peek();
        if (t.type() == TokenType.LPAREN) {
            advance();
            Expr inner = or();
            expect(TokenType.RPAREN, "')' or 'and' / 'or'");
            return inner;
        }
        if (t.isKeyword("no") && peek(1).type() == TokenType.IDENT) {
            return noNonFinite();
        }
        return predicate();
    }

    private Expr noNonFinite() {
        Token no = advance();
        Token kindToken = advance();
        Expr.NonFinite kind = switch (kindToken.text().toLowerCase(Locale.ROOT)) {
            case "nan" -> Expr.NonFinite.NAN;
            case "inf", "infinity" -> Expr.NonFinite.INF;
            case "nonfinite" -> Expr.NonFinite.NONFINITE;
            default -> throw new QuerySyntaxException(where, kindToken.column(), "'nan', 'inf' or 'nonfinite' after 'no'",
                    kindToken.describe());
        };
        if (!peek().isKeyword("in")) {
            throw new QuerySyntaxException(where, peek().column(), "'in'", peek().describe());
        }
        advance();
        Token start = peek();
        Operand operand = operand();
        if (!(operand instanceof Operand.Metric metric)) {
            throw new QuerySyntaxException(where, start.column(), "a metric such as metrics.loss after 'no "
                    + kindToken.text() + " in'", "'" + operand.display() + "'");
        }
        if (hasExplicitAggregate) {
            throw new QuerySyntaxException(where, start.column(),
                    "'no " + kindToken.text() + " in' looks at every point of a series; drop the @" + metric.aggregate().display());
        }
        return new Expr.NoNonFinite(metric, kind, no.column());
    }

    private Expr predicate() {
        Token start = peek();
        Operand operand = operand();
        Token t = peek();
        switch (t.type()) {
            case EQ, NE, LT, LE, GT, GE -> {
                advance();
                return new Expr.Comparison(operand, compareOp(t.type()), literal(), start.column());
            }
            case MATCH, NOT_MATCH -> {
                advance();
                Token pattern = peek();
                if (pattern.type() != TokenType.STRING) {
                    throw new QuerySyntaxException(where, pattern.column(), "a quoted regular expression after '"
                            + t.text() + "'", pattern.describe());
                }
                advance();
                return new Expr.Match(operand, pattern.text(), t.type() == TokenType.NOT_MATCH, start.column());
            }
            default -> {
            }
        }
        if (t.isKeyword("in")) {
            advance();
            return new Expr.InList(operand, list(), false, start.column());
        }
        if (t.isKeyword("not") && peek(1).isKeyword("in")) {
            advance();
            advance();
            return new Expr.InList(operand, list(), true, start.column());
        }
        if (t.isKeyword("is")) {
            advance();
            boolean negated = false;
            if (peek().isKeyword("not")) {
                advance();
                negated = true;
            }
            if (!peek().isKeyword("null")) {
                throw new QuerySyntaxException(where, peek().column(), "'null'", peek().describe());
            }
            advance();
            return new Expr.IsNull(operand, negated, start.column());
        }
        throw new QuerySyntaxException(where, t.column(),
                "an operator (=, !=, <, <=, >, >=, ~, !~, in, not in, is null) after " + operand.display(), t.describe());
    }

    private List<Literal> list() {
        expect(TokenType.LPAREN, "'(' to start the list");
        List<Literal> values = new ArrayList<>();
        values.add(literal());
        while (acceptComma()) {
            values.add(literal());
        }
        expect(TokenType.RPAREN, "',' or ')' to end the list");
        return values;
    }

    private Literal literal() {
        Token t = peek();
        switch (t.type()) {
            case STRING -> {
                advance();
                return new Literal.Str(t.text(), t.column());
            }
            case NUMBER -> {
                advance();
                return new Literal.Num(t.text(), t.column());
            }
            case IDENT -> {
                String word = t.text().toLowerCase(Locale.ROOT);
                switch (word) {
                    case "true", "false" -> {
                        advance();
                        return new Literal.Bool(word.equals("true"), t.column());
                    }
                    case "null" -> {
                        advance();
                        return new Literal.Null(t.column());
                    }
                    default -> {
                    }
                }
            }
            default -> {
            }
        }
        throw new QuerySyntaxException(where, t.column(), "a value (a quoted string, a number, true, false or null)",
                t.describe() + (t.type() == TokenType.IDENT ? " (quote text values: \"" + t.text() + "\")" : ""));
    }

    private boolean hasExplicitAggregate;

    private Operand operand() {
        Token t = peek();
        hasExplicitAggregate = false;
        if (t.type() != TokenType.IDENT || RESERVED.contains(t.text().toLowerCase(Locale.ROOT))) {
            throw new QuerySyntaxException(where, t.column(), "a run attribute (" + String.join(", ", RunAttribute.keywords())
                    + "), hparams.<name> or metrics.<tag>", t.describe());
        }
        advance();
        String word = t.text().toLowerCase(Locale.ROOT);
        if (word.equals("hparams") || word.equals("hparam")) {
            return new Operand.Hparam(dottedName("hparams"), t.column());
        }
        if (word.equals("metrics") || word.equals("metric")) {
            String tag = dottedName("metrics");
            Aggregate aggregate = Aggregate.LAST;
            if (peek().type() == TokenType.AT) {
                advance();
                aggregate = aggregate();
                hasExplicitAggregate = true;
            }
            return new Operand.Metric(tag, aggregate, t.column());
        }
        return RunAttribute.byKeyword(t.text())
                .<Operand>map(attribute -> new Operand.Attribute(attribute, t.column()))
                .orElseThrow(() -> new QuerySyntaxException(where, t.column(),
                        "a run attribute (" + String.join(", ", RunAttribute.keywords())
                                + "), hparams.<name> or metrics.<tag>", t.describe()));
    }

    private String dottedName(String prefix) {
        expect(TokenType.DOT, "'.' after '" + prefix + "'");
        StringBuilder name = new StringBuilder(namePart(prefix));
        while (peek().type() == TokenType.DOT) {
            advance();
            name.append('.').append(namePart(prefix));
        }
        return name.toString();
    }

    private String namePart(String prefix) {
        Token t = peek();
        if (t.type() == TokenType.IDENT || t.type() == TokenType.STRING || t.type() == TokenType.NUMBER) {
            advance();
            if (t.type() == TokenType.STRING && t.text().isEmpty()) {
                throw new QuerySyntaxException(where, t.column(), "a non-empty name after '" + prefix + ".'");
            }
            return t.text();
        }
        throw new QuerySyntaxException(where, t.column(), "a name after '" + prefix + ".' (quote names with"
                + " spaces or dots: " + prefix + ".\"my name\")", t.describe());
    }

    private Aggregate aggregate() {
        Token t = peek();
        if (t.type() == TokenType.IDENT) {
            String word = t.text().toLowerCase(Locale.ROOT);
            switch (word) {
                case "last" -> {
                    advance();
                    return Aggregate.of(Aggregate.Kind.LAST);
                }
                case "min" -> {
                    advance();
                    return Aggregate.of(Aggregate.Kind.MIN);
                }
                case "max" -> {
                    advance();
                    return Aggregate.of(Aggregate.Kind.MAX);
                }
                case "count" -> {
                    advance();
                    return Aggregate.of(Aggregate.Kind.COUNT);
                }
                case "step" -> {
                    advance();
                    expect(TokenType.EQ, "'=' after '@step' (as in @step=1000)");
                    Token n = peek();
                    if (n.type() != TokenType.NUMBER || !new Literal.Num(n.text(), n.column()).isIntegral()) {
                        throw new QuerySyntaxException(where, n.column(), "a whole step number after '@step='", n.describe());
                    }
                    advance();
                    return Aggregate.atStep(Long.parseLong(n.text()));
                }
                default -> {
                }
            }
        }
        throw new QuerySyntaxException(where, t.column(), "an aggregate after '@': last, min, max, count or step=N",
                t.describe());
    }

    private static CompareOp compareOp(TokenType type) {
        return switch (type) {
            case EQ -> CompareOp.EQ;
            case NE -> CompareOp.NE;
            case LT -> CompareOp.LT;
            case LE -> CompareOp.LE;
            case GT -> CompareOp.GT;
            case GE -> CompareOp.GE;
            default -> throw new IllegalArgumentException(type.name());
        };
    }

    private boolean acceptComma() {
        if (peek().type() == TokenType.COMMA) {
            advance();
            return true;
        }
        return false;
    }

    private Token expect(TokenType type, String expected) {
        Token t = peek();
        if (t.type() != type) {
            throw new QuerySyntaxException(where, t.column(), expected, t.describe());
        }
        return advance();
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    private Token advance() {
        Token t = tokens.get(index);
        if (index < tokens.size() - 1) {
            index++;
        }
        return t;
    }
}
