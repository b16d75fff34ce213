package dev.athanor.query.export.api;

import java.util.List;

/**
 * A bulk export of one experiment.
 *
 * @param experiment experiment id (required)
 * @param runs       only these run ids (optional)
 * @param filter     run filter (optional)
 * @param tags       only these tags (optional)
 * @param plugins    only these plugins, e.g. ["scalars"] (optional; default every plugin)
 * @param format     {@code jsonl} (default) or {@code csv}
 */
public record ExportRequest(Long experiment, List<Long> runs, String filter, List<String> tags, List<String> plugins,
                            String format, Long stepMin, Long stepMax) {
}
