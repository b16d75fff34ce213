// Run metadata as people edit it: the name shown for a run, labels typed as text, and the PATCH
// body holding only what changed (the server changes only the fields it is given).

import type { Run, RunMetadataPatch } from '../api/types';

/** The name to show: the display name someone set, else the run's path. */
export function runTitle(run: Pick<Run, 'path' | 'displayName'>): string {
  return run.displayName || run.path;
}

/** Labels typed as "baseline, lr-sweep  best": split on commas and spaces, blanks and repeats dropped, order kept. */
export function parseLabels(text: string): string[] {
  const seen = new Set<string>();
  for (const label of text.split(/[\s,]+/)) if (label) seen.add(label);
  return [...seen];
}

export interface MetadataForm {
  displayName: string;
  labels: string;
  note: string;
  /** '' = no chosen color (the palette's). */
  color: string;
  pinned: boolean;
}

export function formOf(run: Run): MetadataForm {
  return {
    displayName: run.displayName ?? '',
    labels: (run.labels ?? []).join(', '),
    note: run.note ?? '',
    color: run.color ?? '',
    pinned: !!run.pinned,
  };
}

/** The fields of `form` that differ from `run`; empty text becomes null (clears it on the server). */
export function metadataPatch(run: Run, form: MetadataForm): RunMetadataPatch {
  const patch: RunMetadataPatch = {};
  const text = (v: string) => (v.trim() ? v.trim() : null);
  if (text(form.displayName) !== (run.displayName ?? null)) patch.displayName = text(form.displayName);
  const labels = parseLabels(form.labels);
  const before = run.labels ?? [];
  if (labels.length !== before.length || labels.some((l, i) => l !== before[i])) patch.labels = labels.length ? labels : null;
  // A note keeps its whitespace (Markdown); only an all-blank note clears it.
  const note = form.note.trim() ? form.note : null;
  if (note !== (run.note ?? null)) patch.note = note;
  const color = form.color ? form.color.toLowerCase() : null;
  if (color !== (run.color ?? null)) patch.color = color;
  if (form.pinned !== !!run.pinned) patch.pinned = form.pinned;
  return patch;
}
