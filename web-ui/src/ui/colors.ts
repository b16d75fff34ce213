// Run colors: a fixed palette, assigned by each run's rank (by id) in its experiment, so a run
// keeps its color across views, sorts and reloads, and neighbouring runs never share one. A color
// someone chose for a run (its metadata) wins over the palette everywhere.

const PALETTE = [
  '#1f77b4', '#e8590c', '#2b8a3e', '#c2255c', '#7048e8', '#8c564b', '#0b7285', '#5c940d',
  '#d6336c', '#1971c2', '#f08c00', '#495057', '#9c36b5', '#087f5b', '#c92a2a', '#364fc7',
];

const byRun = new Map<number, string>();
const chosen = new Map<number, string>();

export function assignRunColors(runIds: number[]): void {
  byRun.clear();
  [...runIds].sort((a, b) => a - b).forEach((id, rank) => byRun.set(id, PALETTE[rank % PALETTE.length]));
}

/** Records the colors people set on runs (runs without one keep their palette color). */
export function rememberChosenColors(runs: { id: number; color?: string | null }[]): void {
  for (const run of runs) {
    if (run.color) chosen.set(run.id, run.color);
    else chosen.delete(run.id);
  }
}

export function runColor(runId: number): string {
  return chosen.get(runId) ?? byRun.get(runId) ?? PALETTE[Math.abs(runId) % PALETTE.length];
}

/** The n-th palette color, for things that are not runs (run groups). */
export function paletteColor(index: number): string {
  return PALETTE[index % PALETTE.length];
}
