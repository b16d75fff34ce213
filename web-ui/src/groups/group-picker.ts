// The scalars toolbar's run-group controls: group by (none, an hparam, a label, a run attribute,
// a regex capture on the run name), the aggregate (mean/median), the band (± std / min–max) and
// the band's opacity.
// Every choice goes to the URL through the store, so a grouped view can be shared.

import { get } from '../api/client';
import type { HparamsInfo, Run } from '../api/types';
import type { AppState, Store } from '../app/state';
import { h } from '../ui/dom';
import { GROUP_ATTRIBUTES, formatGroupBy, parseGroupBy, type GroupKind } from './group-by';

const KINDS: { value: GroupKind; label: string }[] = [
  { value: 'none', label: 'no groups' },
  { value: 'hparam', label: 'hparam' },
  { value: 'label', label: 'label' },
  { value: 'attribute', label: 'run attribute' },
  { value: 'regex', label: 'regex on run name' },
];

export class GroupPicker {
  readonly element: HTMLElement;
  private readonly kind: HTMLSelectElement;
  private readonly hparam: HTMLSelectElement;
  private readonly label: HTMLInputElement;
  private readonly labels: HTMLDataListElement;
  private readonly attribute: HTMLSelectElement;
  private readonly regex: HTMLInputElement;
  private readonly aggregate: HTMLSelectElement;
  private readonly band: HTMLSelectElement;
  private readonly bandOpacity: HTMLInputElement;
  private hparamsOf: number | null = null;
  private store!: Store;

  /** `curves`: also offer the line's aggregate and band (the scalars view; the hparams view has none). */
  constructor(curves = true) {
    this.kind = h('select', { class: 'group-kind', 'aria-label': 'group runs by' },
      ...KINDS.map((k) => h('option', { value: k.value }, k.label)));
    this.hparam = h('select', { class: 'group-hparam', 'aria-label': 'hparam to group by' });
    this.labels = h('datalist', { id: 'group-label-suggestions' });
    this.label = h('input', {
      type: 'text', class: 'group-label', list: 'group-label-suggestions', spellcheck: 'false',
      placeholder: 'label (empty: by label set)', 'aria-label': 'label to group by; empty groups by the whole label set',
    });
    this.attribute = h('select', { class: 'group-attribute', 'aria-label': 'run attribute to group by' },
      ...GROUP_ATTRIBUTES.map((a) => h('option', { value: a.value }, a.label)));
    this.regex = h('input', {
      type: 'text', class: 'group-regex', spellcheck: 'false', placeholder: 'e.g. lr([0-9.e-]+)_seed',
      'aria-label': 'regular expression on the run name with one capture group',
    });
    this.aggregate = h('select', { class: 'group-aggregate', 'aria-label': 'aggregate of each group' },
      h('option', { value: 'mean' }, 'mean'), h('option', { value: 'median' }, 'median'));
    this.band = h('select', { class: 'group-band', 'aria-label': 'band around the aggregate' },
      h('option', { value: 'std' }, '± std'), h('option', { value: 'minmax' }, 'min–max'));

    this.bandOpacity = h('input', {
      type: 'range', min: 0, max: 0.6, step: 0.02, class: 'group-band-opacity', 'aria-label': 'opacity of the bands',
    });

    this.kind.addEventListener('change', () => {
      this.showValueField();
      // Kinds that need a value wait for it; the others apply at once.
      if (this.kind.value === 'none' || this.kind.value === 'attribute' || this.kind.value === 'label') this.apply();
      else if (this.kind.value === 'hparam' && this.hparam.value) this.apply();
    });
    this.hparam.addEventListener('change', () => this.apply());
    this.attribute.addEventListener('change', () => this.apply());
    this.label.addEventListener('change', () => this.apply());
    this.regex.addEventListener('change', () => this.apply());
    this.aggregate.addEventListener('change', () => this.store.update({ aggregate: this.aggregate.value as AppState['aggregate'] }));
    this.band.addEventListener('change', () => this.store.update({ band: this.band.value as AppState['band'] }));
    this.bandOpacity.addEventListener('input', () => this.store.update({ bandOpacity: Number(this.bandOpacity.value) }));

    this.element = h('fieldset', { class: 'group-picker' },
      h('legend', { class: 'visually-hidden' }, 'run groups'),
      h('label', {}, 'Group ', this.kind), this.hparam, this.label, this.labels, this.attribute, this.regex,
      curves ? h('label', { class: 'group-only' }, 'Line ', this.aggregate) : null,
      curves ? h('label', { class: 'group-only' }, 'Band ', this.band) : null,
      curves ? h('label', { class: 'group-only', title: 'how opaque the shaded bands are' }, 'Opacity ', this.bandOpacity) : null);
    this.showValueField();
  }

  /** Shows the URL's choices; loads the experiment's hparam names once. */
  sync(store: Store, experimentId: number, runs: Run[], state: AppState): void {
    this.store = store;
    const choice = parseGroupBy(state.group);
    this.kind.value = choice.kind;
    if (choice.kind === 'hparam') this.ensureOption(this.hparam, choice.value);
    if (choice.kind === 'hparam') this.hparam.value = choice.value;
    if (choice.kind === 'attribute') this.ensureOption(this.attribute, choice.value);
    if (choice.kind === 'attribute') this.attribute.value = choice.value;
    if (choice.kind === 'label' && document.activeElement !== this.label) this.label.value = choice.value;
    if (choice.kind === 'regex' && document.activeElement !== this.regex) this.regex.value = choice.value;
    this.aggregate.value = state.aggregate;
    this.band.value = state.band;
    if (document.activeElement !== this.bandOpacity) this.bandOpacity.value = String(state.bandOpacity);
    this.element.classList.toggle('grouped', choice.kind !== 'none');
    const labels = new Set<string>();
    runs.forEach((r) => r.labels?.forEach((l) => labels.add(l)));
    this.labels.replaceChildren(...[...labels].sort().map((l) => h('option', { value: l })));
    this.showValueField();
    if (this.hparamsOf !== experimentId) {
      this.hparamsOf = experimentId;
      void this.loadHparams(experimentId, choice.kind === 'hparam' ? choice.value : '');
    }
  }

  private async loadHparams(experimentId: number, current: string): Promise<void> {
    try {
      const info = await get<HparamsInfo>(`/experiments/${experimentId}/hparams`);
      this.hparam.replaceChildren(h('option', { value: '' }, 'choose an hparam…'),
        ...info.hparams.map((p) => h('option', { value: p.name }, p.name)));
    } catch {
      this.hparam.replaceChildren(h('option', { value: '' }, 'no hparams'));
    }
    if (current) this.ensureOption(this.hparam, current);
    this.hparam.value = current;
  }

  private ensureOption(select: HTMLSelectElement, value: string): void {
    if (![...select.options].some((o) => o.value === value)) select.append(h('option', { value }, value));
  }

  private showValueField(): void {
    const kind = this.kind.value as GroupKind;
    this.hparam.hidden = kind !== 'hparam';
    this.label.hidden = kind !== 'label';
    this.attribute.hidden = kind !== 'attribute';
    this.regex.hidden = kind !== 'regex';
  }

  private apply(): void {
    const kind = this.kind.value as GroupKind;
    const value = kind === 'hparam' ? this.hparam.value : kind === 'label' ? this.label.value
      : kind === 'attribute' ? this.attribute.value : kind === 'regex' ? this.regex.value : '';
    const group = formatGroupBy({ kind, value });
    if (kind !== 'none' && !group) return;
    this.store.update({ group, open: [] });
  }
}
