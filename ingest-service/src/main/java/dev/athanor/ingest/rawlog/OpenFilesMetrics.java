package dev.athanor.ingest.rawlog;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** The run logs' open files as gauges: {@code athanor_rawlog_open_files} and its bound {@code ..._max}. */
@Startup
@ApplicationScoped
public class OpenFilesMetrics {

    public OpenFilesMetrics(RawLog rawLog, MeterRegistry meters) {
        OpenRunFiles files = rawLog.openFiles();
        Gauge.builder("athanor.rawlog.open.files", files, OpenRunFiles::open)
                .description("files the run logs hold open (journals, open segments)").register(meters);
        Gauge.builder("athanor.rawlog.open.files.max", files, OpenRunFiles::maxFiles)
                .description("athanor.ingest.open-files.max-run-files: the bound on those files").register(meters);
    }
}
