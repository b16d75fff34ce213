package dev.athanor.query.querylang.ast;

/** A constant in a filter. */
public sealed interface Literal {

    int column();

    /** How the literal was written, for messages. */
    String display();

    record Str(String value, int column) implements Literal {
        @Override
        public String display() {
            return "\"" + value + "\"";
        }
    }

    /** A number, kept as written so integers stay exact. */
    record Num(String text, int column) implements Literal {
        public double doubleValue() {
            return Double.parseDouble(text);
        }

        public boolean isIntegral() {
            return text.matches("[+-]?\\d+") && text.replaceFirst("^[+-]", "").length() <= 18;
        }

        public long longValue() {
            return Long.parseLong(text);
        }

        @Override
        public String display() {
            return text;
        }
    }

    record Bool(boolean value, int column) implements Literal {
        @Override
        public String display() {
            return Boolean.toString(value);
        }
    }

    record Null(int column) implements Literal {
        @Override
        public String display() {
            return "null";
        }
    }
}
