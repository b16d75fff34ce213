// Run colors: a fixed palette, assigned by each run's rank (by id) in its experiment, so a run
// keeps its color across views, sorts and reloads, and neighbouring runs never share one.

const PALETTE = [
  '#1f77b4', '#e8590c', '#2b8a3e', '#c2255c', '#7048e8', '#8c564b', '#0b7285', '#5c940d',
  '#d6336c', '#1971c2', '#f08c00', '#495057', '#9c36b5', '#087f5b', '#c92a2a', '#364fc7',
];

const byRun = new Map<number, string>();

export function assignRunColors(runIds: number[]): void {
  byRun.clear();
  [...runIds].sort((a, b) => a - b).forEach((id, rank) => byRun.set(id, PALETTE[rank % PALETTE.length]));
}

export function runColor(runId: number): string {
  return byRun.get(runId) ?? PALETTE[Math.abs(runId) % PALETTE.length];
}
