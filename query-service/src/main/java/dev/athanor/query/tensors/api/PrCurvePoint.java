package dev.athanor.query.tensors.api;

/** A PR curve at one step: the six rows of TensorBoard's pr_curves tensor, one entry per threshold. */
public record PrCurvePoint(long step, double wallTime, int thresholds, double[] truePositives,
                           double[] falsePositives, double[] trueNegatives, double[] falseNegatives,
                           double[] precision, double[] recall) {
}
