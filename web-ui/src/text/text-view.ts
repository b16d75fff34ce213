// The text tab: per tag and run, the logged strings of the newest steps rendered as safe
// Markdown; rank-2 string tensors become tables, as in TensorBoard.

import { get, query } from '../api/client';
import type { TensorSeries, TextPoint, Run } from '../api/types';
import { TagCardsView } from '../app/tag-cards';
import { h } from '../ui/dom';

const STEPS = 20;

export class TextView extends TagCardsView {
  constructor() {
    super({ name: 'text', label: 'text', plugins: ['text'], perRun: true, empty: 'No text summaries for the selected runs.', bodyClass: 'text-list' });
  }

  protected async load(card: HTMLElement, tag: string, [run]: Run[]): Promise<void> {
    const [series, { renderMarkdown }] = await Promise.all([
      get<TensorSeries<TextPoint>>(`/runs/${run.id}/text${query({ tag, maxPoints: STEPS })}`),
      import('./markdown'),
    ]);
    for (const point of [...series.points].reverse()) {
      let content: HTMLElement;
      if (point.shape.length === 2) {
        const [rows, cols] = point.shape;
        content = h('table', { class: 'data-table' });
        for (let r = 0; r < rows; r++) {
          const tr = h('tr');
          for (let c = 0; c < cols; c++) {
            const td = h('td');
            td.append(renderMarkdown(point.values[r * cols + c] ?? '', true));
            tr.append(td);
          }
          content.append(tr);
        }
      } else {
        content = h('div', { class: 'markdown' });
        for (const value of point.values) {
          const block = h('div', { class: 'markdown-block' });
          block.append(renderMarkdown(value));
          content.append(block);
        }
      }
      card.append(h('section', { class: 'text-step', 'data-step': point.step }, h('div', { class: 'muted small' }, `step ${point.step}`), content));
    }
  }
}
