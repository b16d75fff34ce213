package dev.athanor.query.dataprovider.api;

import dev.athanor.proto.tensorboard.data.Downsample;
import dev.athanor.proto.tensorboard.data.PluginFilter;
import dev.athanor.proto.tensorboard.data.RunTagFilter;
import dev.athanor.query.dataprovider.service.NumPoints;
import dev.athanor.query.dataprovider.service.SeriesSelection;
import java.util.Set;

/**
 * Reads the protocol's filters: an absent run or tag filter matches everything, a present one
 * with no names matches nothing (proto3 message presence tells the two apart); likewise an
 * absent downsample is refused, not read as zero points.
 */
final class ProtoFilters {

    private ProtoFilters() {
    }

    static SeriesSelection selection(PluginFilter plugin, boolean hasRunTagFilter, RunTagFilter filter) {
        Set<String> runs = hasRunTagFilter && filter.hasRuns() ? Set.copyOf(filter.getRuns().getNamesList()) : null;
        Set<String> tags = hasRunTagFilter && filter.hasTags() ? Set.copyOf(filter.getTags().getNamesList()) : null;
        return new SeriesSelection(plugin.getPluginName(), runs, tags);
    }

    static int numPoints(boolean hasDownsample, Downsample downsample) {
        return NumPoints.of(hasDownsample ? downsample.getNumPoints() : null);
    }
}
