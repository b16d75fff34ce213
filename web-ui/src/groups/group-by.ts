// What the group picker means, as the server's `groupBy` text: `hparams.<name>`, `label:<name>`,
// `label:` (by the run's whole label set), `regex:<pattern>` or a run attribute name.

export type GroupKind = 'none' | 'hparam' | 'label' | 'attribute' | 'regex';

export interface GroupChoice {
  kind: GroupKind;
  /** The hparam name, label (empty = by label set), attribute or pattern. */
  value: string;
}

/** Run attributes the server groups by (RunGrouping), with the words the picker shows. */
export const GROUP_ATTRIBUTES: { value: string; label: string }[] = [
  { value: 'status', label: 'status' },
  { value: 'group', label: 'session group' },
  { value: 'display_name', label: 'display name' },
  { value: 'color', label: 'color' },
  { value: 'pinned', label: 'pinned' },
  { value: 'experiment', label: 'experiment' },
];

export function parseGroupBy(groupBy: string): GroupChoice {
  if (!groupBy) return { kind: 'none', value: '' };
  // The server takes the rest of the text as the hparam's name, unquoted (RunGrouping).
  if (groupBy.startsWith('hparams.')) return { kind: 'hparam', value: groupBy.slice('hparams.'.length) };
  if (groupBy.startsWith('label:')) return { kind: 'label', value: groupBy.slice('label:'.length) };
  if (groupBy.startsWith('regex:')) return { kind: 'regex', value: groupBy.slice('regex:'.length) };
  return { kind: 'attribute', value: groupBy };
}

/** The groupBy text for a choice; '' when the choice is incomplete (no hparam, no pattern). */
export function formatGroupBy(choice: GroupChoice): string {
  switch (choice.kind) {
    case 'none': return '';
    case 'hparam': return choice.value ? `hparams.${choice.value}` : '';
    case 'label': return `label:${choice.value.trim()}`;
    case 'regex': return choice.value ? `regex:${choice.value}` : '';
    case 'attribute': return choice.value;
  }
}
