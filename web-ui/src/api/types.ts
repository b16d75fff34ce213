// Shapes of query-service's /api/v1 answers (see query-service/README.md).

export interface Page<T> {
  items: T[];
  offset: number;
  limit: number;
  total: number;
  nextOffset: number | null;
}

/**
 * A page of a list that also pages by cursor (the runs listing): `next` is the cursor of the
 * following page (null on the last); a page read by cursor has `offset` and `nextOffset` null, and
 * `total` null unless asked for (`count=exact`).
 */
export interface CursorPage<T> extends Omit<Page<T>, 'offset' | 'total'> {
  offset: number | null;
  total: number | null;
  next?: string | null;
}

export interface Experiment {
  id: number;
  project: string;
  name: string;
  description?: string | null;
  createdAt: string;
  updatedAt: string;
  runCount: number;
}

export type HparamValue = number | string | boolean | null;

export interface Run {
  id: number;
  experimentId: number;
  experiment: string;
  path: string;
  status: string;
  startedAt?: string;
  lastEventAt?: string;
  endedAt?: string;
  hparams?: Record<string, HparamValue>;
  sessionGroup?: string;
  sessionStatus?: string;
  values?: Record<string, HparamValue>;
  /** Metadata people set (PATCH /runs/{id}); absent when unset. */
  displayName?: string | null;
  labels?: string[] | null;
  note?: string | null;
  color?: string | null;
  pinned?: boolean | null;
}

/** The body of PATCH /api/v1/runs/{id}: only the fields given change; null clears. */
export interface RunMetadataPatch {
  displayName?: string | null;
  labels?: string[] | null;
  note?: string | null;
  color?: string | null;
  pinned?: boolean;
}

export interface ProjectAccess {
  name: string;
  role: string;
  /** Every role the caller's role includes (an admin is also a writer and a reader). */
  roles: string[];
  experiments: number;
}

export interface ProjectsAnswer {
  superuser?: boolean;
  platformAdmin?: boolean;
  user?: string | null;
  items: ProjectAccess[];
}

/** plugin → tag → ids of the runs that have it. */
export type ExperimentTags = Record<string, Record<string, number[]>>;

export interface TagInfo {
  tag: string;
  plugin: string;
  dataClass: string;
  points: number;
  firstStep?: number;
  lastStep?: number;
  displayName?: string;
  description?: string;
}

/** A JSON number, or "NaN" / "Infinity" / "-Infinity". */
export type Num = number | string;

export interface ScalarPoints {
  x: Num[];
  step: number[];
  wallTime: number[];
  value: Num[];
  min: (Num | null)[];
  max: (Num | null)[];
  count: number[];
  firstStep: number[];
  nanCount: number[];
}

export interface ScalarSeries {
  runId: number;
  run: string;
  tag: string;
  totalPoints: number;
  sampling: { method: string; x: string; maxPoints: number; pointsInRange: number; bucketWidth?: number };
  points: ScalarPoints;
}

export interface ScalarResponse {
  series: ScalarSeries[];
  missing: { runId: number; run: string; tag: string; reason: string }[];
  /** With groupBy: how the groups were computed, and the groups. */
  grouping?: { groupBy: string; aggregate: string; band: string; x: string; maxPoints: number; memberValue: string };
  groups?: ScalarGroup[];
}

/**
 * A chart's scalars reduced to its pixel width (`width=` instead of `maxPoints`): per line the M4
 * polyline (each pixel column's first, last, lowest and highest points) and each column's mean;
 * x values are columns of `xs`, named by index and shared by lines logged at the same steps.
 */
export interface ChartResponse {
  chart: { format: 'm4'; x: string; width: number; bucketsPerSeries: number; seriesPerChart: number };
  xs: Num[][];
  series: ChartLine[];
  missing: { runId: number; run: string; tag: string; reason: string }[];
}

export interface ChartLine {
  runId: number;
  run: string;
  tag: string;
  totalPoints: number;
  pointsInRange: number;
  /** Index into xs of the points' x (steps, or wall times with x = wall_time). */
  x: number;
  /** With x = wall_time: index into xs of the points' steps. */
  step?: number;
  y: Num[];
  /** Points per non-empty pixel column, in order (1–4). */
  buckets: number[];
  /** Per non-empty column, the mean of its finite values (null: none). */
  mean: (Num | null)[];
}

/** Per bucket: the aggregate (center), the band (low..high), members with a finite value (count). */
export interface GroupPoints {
  x: number[];
  center: (number | null)[];
  low: (number | null)[];
  high: (number | null)[];
  count: number[];
  nonFinite: number[];
}

export interface ScalarGroup {
  key: HparamValue;
  name: string;
  runIds: number[];
  runs: string[];
  series: { tag: string; runIds: number[]; bucketWidth: number; points: GroupPoints }[];
}

export interface PointSampling {
  method: string;
  maxPoints: number;
  pointsInRange: number;
}

export interface Blob {
  index: number;
  length: number;
  role: string;
  url: string;
}

export interface BlobSeries {
  runId: number;
  run: string;
  tag: string;
  plugin: string;
  sampling: PointSampling;
  points: { step: number; wallTime: number; blobs: Blob[] }[];
}

export interface TensorSeries<T> {
  runId: number;
  run: string;
  tag: string;
  plugin: string;
  sampling: PointSampling;
  points: T[];
}

export interface HistogramPoint {
  step: number;
  wallTime: number;
  buckets: [number, number, number][];
}

export interface TextPoint {
  step: number;
  wallTime: number;
  shape: number[];
  values: string[];
}

export interface TensorPoint {
  step: number;
  wallTime: number;
  dtype: string;
  shape: number[];
  values: (number | string)[] | null;
}

export interface PrCurvePoint {
  step: number;
  wallTime: number;
  thresholds: number;
  precision: number[];
  recall: number[];
}

export interface HparamColumn {
  name: string;
  type: 'number' | 'string' | 'bool' | 'null' | 'mixed';
  sessions: number;
  min?: number;
  max?: number;
  values?: HparamValue[];
}

export interface MetricColumn {
  key: string;
  group: string;
  tag: string;
}

export interface HparamsInfo {
  experimentId: number;
  hparams: HparamColumn[];
  metrics: MetricColumn[];
}

export interface Session {
  runId: number;
  run: string;
  group?: string;
  status: string;
  sessionStatus?: string;
  startedAt?: string;
  hparams: Record<string, HparamValue>;
  metrics: Record<string, number | null>;
}

export interface SessionPage {
  metricColumns: string[];
  sessions: Page<Session>;
}

export interface Asset {
  path: string;
  size: number;
  sha256?: string;
  downloadUrl: string;
}

export interface ServerInfo {
  version?: string;
  auth: { enabled: boolean; issuer?: string; clientId?: string; scopes?: string };
}

/** The error body every /api/v1 error has. */
/** GET /experiments/{id}/views: a named view; its state is the web UI's (app/state.ts ViewState). */
export interface SavedView {
  id: number;
  experimentId: number;
  name: string;
  state: { tab?: string; query?: string };
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

export interface ApiErrorBody {
  status: number;
  error: string;
  message: string;
  where?: string;
  column?: number;
  expected?: string;
}

/** "NaN", "Infinity", "-Infinity" or a number → a JS number. */
export function num(v: Num | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return Number(v);
}

/** GET /api/v1/experiments/{id}/compare: 2-6 runs side by side (see query-service/README.md). */
export interface RunComparison {
  experimentId: number;
  runs: { id: number; path: string; displayName?: string | null; color?: string | null; labels?: string[] | null; status: string }[];
  hparams: { name: string; values: HparamValue[]; differs: boolean }[];
  metrics: ComparedMetric[];
  metricsOmitted: number;
}

export interface ComparedMetric {
  tag: string;
  /** What best is for this tag: the lowest (losses) or the highest (scores). */
  goal: 'min' | 'max';
  goalSource: 'name' | 'request';
  /** Per run in column order; null where the run has no such series. */
  values: (ComparedValues | null)[];
  differs: boolean;
  bestRunId: number | null;
}

export interface ComparedValues {
  points: number;
  lastStep: number | null;
  last: number | null;
  min: number | null;
  max: number | null;
  best: number | null;
  bestStep: number | null;
}

/** A run an alert rule fires for now (GET /projects/{project}/alert-rules). */
export interface FiringRun {
  ruleId: number;
  runId: number;
  run: string;
  experimentId: number;
  experiment: string;
  value?: number | string | null;
  step?: number | null;
  observed?: string;
  since: string;
  /** The URL hash of the chart at the firing step. */
  chart?: string;
}

export interface AlertRule {
  id: number;
  project: string;
  name: string;
  experiment?: string | null;
  experimentId?: number | null;
  filter?: string | null;
  condition: string;
  kind: 'CHANGE' | 'STALL';
  webhook: { url: string; format: 'json' | 'slack'; hasSecret: boolean };
  firing: FiringRun[];
}

export interface AlertDelivery {
  id: number;
  state: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  lastStatus?: number | null;
  lastError?: string | null;
  createdAt: string;
  nextAttemptAt?: string | null;
  finishedAt?: string | null;
}

export interface AlertEvent {
  id: number;
  kind: 'FIRING' | 'RESOLVED' | 'TEST';
  runId?: number | null;
  run?: string | null;
  value?: number | string | null;
  step?: number | null;
  observed?: string | null;
  at: string;
  deliveries: AlertDelivery[];
}

/** What a purge would remove (GET /api/v1/trash, DELETE and purge answers). */
export interface Footprint {
  runs: number;
  series: number;
  hotFiles: number;
  objects: number;
}

/** A run or experiment in the trash (GET /api/v1/trash). */
export interface TrashEntry {
  kind: 'run' | 'experiment';
  id: number;
  project: string;
  experimentId: number;
  experiment: string;
  name: string;
  trashedAt: string;
  trashedBy: string | null;
  purgeAfter: string;
  purgeRequestedAt: string | null;
  purgeError: string | null;
  footprint: Footprint;
}
