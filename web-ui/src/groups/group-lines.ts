// Turns the server's run groups for one tag into the lines a scalar chart draws: per group the
// aggregate (mean or median) with its band (± std or min–max) shaded under it, and, for groups
// the user opened, each member's own line thinner and fainter in the group's color.

import type { ScalarGroup, ScalarSeries } from '../api/types';
import type { Line } from '../scalars/scalar-chart';
import { formatNumber } from '../ui/dom';

/** A group's name as shown: number keys formatted like every other number in the UI. */
export function groupLabel(group: { key: unknown; name: string }): string {
  return typeof group.key === 'number' ? formatNumber(group.key) : group.name;
}

export interface GroupLegendEntry {
  /** The server's name of the group (what `open=` in the URL lists). */
  name: string;
  /** What people read: a number key as numbers are shown everywhere (1, not 1.0). */
  label: string;
  color: string;
  /** Members that have this tag. */
  members: number;
  /** The most members with a finite value in any one bucket. */
  maxCount: number;
  open: boolean;
}

/** Group lines get ids below zero so they never collide with a run's id. */
export function groupLineId(index: number): number {
  return -(index + 1);
}

export function groupLines(
  groups: ScalarGroup[], tag: string, open: ReadonlySet<string>, members: ScalarSeries[],
  color: (groupIndex: number) => string, memberLine: (s: ScalarSeries, color: string) => Line,
): { lines: Line[]; legend: GroupLegendEntry[] } {
  const lines: Line[] = [];
  const memberLines: Line[] = [];
  const legend: GroupLegendEntry[] = [];
  const byRun = new Map(members.filter((s) => s.tag === tag).map((s) => [s.runId, s]));
  groups.forEach((group, index) => {
    const series = group.series.find((s) => s.tag === tag);
    if (!series) return;
    const c = color(index);
    const p = series.points;
    const isOpen = open.has(group.name);
    const label = groupLabel(group);
    legend.push({ name: group.name, label, color: c, members: series.runIds.length, maxCount: Math.max(0, ...p.count), open: isOpen });
    lines.push({
      runId: groupLineId(index),
      run: `${label} (${series.runIds.length})`,
      color: c,
      xs: Float64Array.from(p.x),
      steps: p.x.map((x) => Math.round(x)),
      raw: p.center.map((v) => (v === null ? NaN : v)),
      mins: p.low,
      maxs: p.high,
      bucketed: true,
      width: 2.25,
    });
    if (isOpen) {
      for (const runId of series.runIds) {
        const member = byRun.get(runId);
        if (member) memberLines.push({ ...memberLine(member, c), bucketed: false, width: 1, alpha: 0.55 });
      }
    }
  });
  // Members first, so the group's aggregate is drawn over its own runs.
  return { lines: [...memberLines, ...lines], legend };
}
