// The shapes of /api/v1/runs/{runId}/profiles/… (query-service ProfileViews). Times: ns from the trace's start.

export interface ProfileFile { host: string; path: string; size: number; format: string | null; downloadUrl: string }
/** `startedAt` (ISO-8601) when the session's name tells when it was captured. */
export interface ProfileSession { session: string; startedAt: string | null; files: ProfileFile[] }
export interface ProfileSource { session: string; host: string; path: string; format: string }

export interface StepTime {
  step: number; name: string; startNs: number; durationNs: number;
  deviceCompute: number; memcpyComm: number; input: number; hostCompute: number; other: number; idle: number;
}
export interface StepsAnswer { source: ProfileSource; spanNs: number; events: number; steps: StepTime[]; skipped: Record<string, number> }

export interface OpRow {
  name: string; type: string; side: 'host' | 'device'; kind: string;
  count: number; totalNs: number; selfNs: number; avgNs: number; share: number;
}
export interface OpsAnswer { source: ProfileSource; hostSelfNs: number; deviceSelfNs: number; matched: number; items: OpRow[] }

export interface TimelineAnswer {
  source: ProfileSource; spanNs: number; startNs: number; endNs: number; resolutionNs: number;
  lanes: { index: number; name: string; device: boolean }[];
  names: { name: string; type: string; kind: string }[];
  /** [lane, startNs, durationNs, name, depth, count] */
  events: [number, number, number, number, number, number][];
  truncated: boolean;
}

export interface MemoryAnswer { source: ProfileSource; spanNs: number; series: { name: string; peakBytes: number; points: [number, number][] }[] }

/** The parts of a step, in the order they are stacked, with their colors. */
export const STEP_PARTS: { key: keyof StepTime; label: string; color: string }[] = [
  { key: 'deviceCompute', label: 'device compute', color: '#4e79a7' },
  { key: 'memcpyComm', label: 'copies / communication', color: '#f28e2b' },
  { key: 'input', label: 'input', color: '#e15759' },
  { key: 'hostCompute', label: 'host compute', color: '#59a14f' },
  { key: 'other', label: 'other host activity', color: '#b07aa1' },
  { key: 'idle', label: 'idle', color: '#bab0ac' },
];

/** Colors of timeline events by kind (EventKind on the server). */
export const KIND_COLORS: Record<string, string> = {
  step: '#9c755f', host_op: '#59a14f', input_op: '#e15759', input: '#ff9d9a', device_op: '#4e79a7',
  device: '#a0cbe8', memcpy: '#f28e2b', other: '#b07aa1',
};

/** A duration for people: 1.5 ms, 230 µs, 12 ns, 3.2 s. */
export function formatDuration(ns: number): string {
  const a = Math.abs(ns);
  if (a >= 1e9) return `${(ns / 1e9).toPrecision(3)} s`;
  if (a >= 1e6) return `${(ns / 1e6).toPrecision(3)} ms`;
  if (a >= 1e3) return `${(ns / 1e3).toPrecision(3)} µs`;
  return `${Math.round(ns)} ns`;
}
