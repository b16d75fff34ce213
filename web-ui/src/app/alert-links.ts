// Pure helpers of the alerts page: its URL hash, and which runs fire for which rules.

import type { AlertRule } from '../api/types';

/** The URL hash of a project's alerts page. */
export function alertsHash(project: string): string {
  return `#/alerts/${encodeURIComponent(project)}`;
}

/** The project an alerts-page hash names, or null. */
export function alertsProject(hash: string): string | null {
  const match = /^#\/alerts\/([^/?]+)/.exec(hash);
  return match ? decodeURIComponent(match[1]) : null;
}

/** Run id → the names of the rules firing for it now. */
export function firingByRun(rules: AlertRule[]): Map<number, string[]> {
  const firing = new Map<number, string[]>();
  for (const rule of rules) {
    for (const f of rule.firing) firing.set(f.runId, [...(firing.get(f.runId) ?? []), rule.name]);
  }
  return firing;
}
