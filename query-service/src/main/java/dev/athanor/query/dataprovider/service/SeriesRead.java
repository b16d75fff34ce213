package dev.athanor.query.dataprovider.service;

import dev.athanor.query.dataprovider.store.SeriesSummary;

/** The points read from one series, in the form its store gives them. */
public record SeriesRead<T>(SeriesSummary series, T points) {
}
