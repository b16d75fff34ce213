package dev.athanor.query.dataprovider.service;

import dev.athanor.query.common.error.BadInputException;

/**
 * TensorBoard's {@code Downsample.num_points}: required on every read, zero means zero points,
 * never negative. Values beyond what one response could hold are read as "every point".
 */
public final class NumPoints {

    private NumPoints() {
    }

    /** @param requested the request's num_points, or null when it carries no downsample */
    public static int of(Long requested) {
        if (requested == null) {
            throw new BadInputException("downsample", "downsample is required: give downsample.num_points,"
                    + " the most points per series to return (0 for none)");
        }
        if (requested < 0) {
            throw new BadInputException("downsample.num_points", "downsample.num_points must be non-negative; got "
                    + requested);
        }
        return (int) Math.min(requested, Integer.MAX_VALUE);
    }
}
