package dev.athanor.bench.scale;


/**
 * A figure's goal and floor from issue 15's table, and which way is better. A NaN bound is "none
 * set" (the issue gives some figures a goal but no floor).
 */
record Goal(double goal, double floor, boolean higherIsBetter) {

    static Goal atLeast(double goal, double floor) {
        return new Goal(goal, floor, true);
    }

    static Goal atMost(double goal, double floor) {
        return new Goal(goal, floor, false);
    }

    static Goal none() {
        return new Goal(Double.NaN, Double.NaN, true);
    }

    boolean isSet() {
        return !Double.isNaN(goal) || !Double.isNaN(floor);
    }

    boolean meetsGoal(double value) {
        return meets(value, goal);
    }

    boolean meetsFloor(double value) {
        return meets(value, floor);
    }

    private boolean meets(double value, double bound) {
        return higherIsBetter ? value >= bound : value <= bound;
    }

    String goalText() {
        return text(goal);
    }

    String floorText() {
        return text(floor);
    }

    private String text(double bound) {
        if (Double.isNaN(bound)) {
            return "-";
        }
        return (higherIsBetter ? ">= " : "<= ") + Figure.number(bound);
    }
}
