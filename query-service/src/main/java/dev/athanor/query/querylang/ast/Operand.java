package dev.athanor.query.querylang.ast;

/** What a comparison is about: a run attribute, an hparam, or an aggregate of a scalar series. */
public sealed interface Operand {

    int column();

    /** The operand as it would be written, for messages and as a column key. */
    String display();

    record Attribute(RunAttribute attribute, int column) implements Operand {
        @Override
        public String display() {
            return attribute.keyword();
        }
    }

    /** {@code hparams.<name>}: the name is passed to PostgreSQL as a parameter, never spliced. */
    record Hparam(String name, int column) implements Operand {
        @Override
        public String display() {
            return "hparams." + Names.quoteIfNeeded(name);
        }
    }

    /** {@code metrics.<tag>[@aggregate]}; plain {@code metrics.<tag>} means {@code @last}. */
    record Metric(String tag, Aggregate aggregate, int column) implements Operand {
        @Override
        public String display() {
            return "metrics." + Names.quoteIfNeeded(tag) + "@" + aggregate.display();
        }
    }
}
