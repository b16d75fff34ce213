package dev.athanor.helm.render;

import java.nio.file.Path;
import java.util.Optional;

/** The values the chart is checked with: its defaults and each example file in helm/examples. */
public enum ValuesSet {
    DEFAULT(null),
    AWS("aws"),
    GCP("gcp"),
    LOCAL("local");

    private final String example;

    ValuesSet(String example) {
        this.example = example;
    }

    public Optional<Path> file() {
        return Optional.ofNullable(example).map(RepoPaths::example);
    }
}
