package dev.athanor.bench.scale;

import java.util.Locale;

/**
 * One row of the scale table: what was measured, in which setting, against which goal.
 *
 * @param fullSize whether the setting is the one the goal names; a smaller run's verdict says so
 */
record Figure(String figure, String setting, double measured, String unit, Goal goal, boolean fullSize, String note) {

    static Figure missing(String figure, String setting, String unit, Goal goal, String why) {
        return new Figure(figure, setting, Double.NaN, unit, goal, false, why);
    }

    String measuredText() {
        return Double.isNaN(measured) ? "-" : number(measured);
    }

    /** "goal met", "floor met", "below floor", "below goal" (no floor set) or "-", with "(reduced size)" when smaller. */
    String verdict() {
        if (Double.isNaN(measured)) {
            return "not measured";
        }
        if (!goal.isSet()) {
            return "-";
        }
        String verdict;
        if (!Double.isNaN(goal.goal()) && goal.meetsGoal(measured)) {
            verdict = "goal met";
        } else if (Double.isNaN(goal.floor())) {
            verdict = "below goal";
        } else {
            verdict = goal.meetsFloor(measured) ? "floor met" : "below floor";
        }
        return fullSize ? verdict : verdict + " (reduced size)";
    }

    /** Thousands separated, one decimal below 100, none above. */
    static String number(double value) {
        return Math.abs(value) < 100 && value != Math.rint(value)
                ? String.format(Locale.ROOT, "%.1f", value)
                : String.format(Locale.ROOT, "%,.0f", value);
    }
}
