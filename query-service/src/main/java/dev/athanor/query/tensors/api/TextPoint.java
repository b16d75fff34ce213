package dev.athanor.query.tensors.api;

import java.util.List;

/** Text at one step: the string tensor's shape and its elements, row-major (Markdown as written). */
public record TextPoint(long step, double wallTime, long[] shape, List<String> values) {
}
