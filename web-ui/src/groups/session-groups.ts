// Session groups in the hparams view (TensorBoard's AVG, MEDIAN, MIN, MAX of each metric across a
// group): the answer's shape, and sorting and filtering the groups on those aggregates. The server
// returns every group of the filtered sessions, so both happen here without another request.

export const AGGREGATES = ['avg', 'median', 'min', 'max'] as const;
export type SessionAggregate = (typeof AGGREGATES)[number];

export interface Aggregates {
  avg: number | null;
  median: number | null;
  min: number | null;
  max: number | null;
  count: number;
}

export interface SessionGroup {
  key: number | string | boolean | null;
  name: string;
  runIds: number[];
  runs: string[];
  metrics: Record<string, Aggregates>;
}

export interface SessionGroupsAnswer {
  groupBy: string;
  metricColumns: string[];
  groups: SessionGroup[];
}

/** A sort key: 'name', 'members', or `<metric>@<aggregate>`; '-' in front for descending. */
export function sortGroups(groups: SessionGroup[], sort: string): SessionGroup[] {
  if (!sort) return groups;
  const desc = sort.startsWith('-');
  const key = desc ? sort.slice(1) : sort;
  const value = (g: SessionGroup): number | string | null => {
    if (key === 'name') return g.name;
    if (key === 'members') return g.runIds.length;
    const at = key.lastIndexOf('@');
    return g.metrics[key.slice(0, at)]?.[key.slice(at + 1) as SessionAggregate] ?? null;
  };
  // Groups without a value go last either way, as the server sorts missing values.
  return [...groups].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === null ? (vb === null ? 0 : 1) : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb
      : String(va).localeCompare(String(vb), undefined, { numeric: true });
    return desc ? -c : c;
  });
}

export interface AggregateFilter {
  /** `<metric>@<aggregate>` */
  column: string;
  op: '<' | '<=' | '>' | '>=';
  value: number;
}

/** The groups whose aggregate passes the comparison; a group without the value never does. */
export function filterGroups(groups: SessionGroup[], filter: AggregateFilter | null): SessionGroup[] {
  if (!filter || !Number.isFinite(filter.value)) return groups;
  const at = filter.column.lastIndexOf('@');
  const metric = filter.column.slice(0, at);
  const aggregate = filter.column.slice(at + 1) as SessionAggregate;
  return groups.filter((g) => {
    const v = g.metrics[metric]?.[aggregate];
    if (v === null || v === undefined) return false;
    switch (filter.op) {
      case '<': return v < filter.value;
      case '<=': return v <= filter.value;
      case '>': return v > filter.value;
      case '>=': return v >= filter.value;
    }
  });
}
