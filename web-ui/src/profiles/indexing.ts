// The first look at a big trace: the server answers 202 with how far its decode got. Shows a
// progress bar and asks again after the Retry-After the server gave, until the answer is ready.

import { getOrAccepted } from '../api/client';
import { h } from '../ui/dom';

export interface Indexing { state: 'indexing'; file: string; progress: number; bytesRead: number; fileBytes: number }

/** The progress bar's text: "indexing vm.pt.trace.json · 42% (113 of 268 MB read)". */
export function indexingText(i: Indexing): string {
  const name = i.file.split('/').pop() ?? i.file;
  const mb = (b: number) => (b / 1e6).toFixed(b < 1e7 ? 1 : 0);
  return `indexing ${name} · ${Math.floor(i.progress * 100)}% (${mb(Math.min(i.bytesRead, i.fileBytes))} of ${mb(i.fileBytes)} MB read)`;
}

/**
 * GET {path} until it is ready; while the server indexes, `into` shows a progress bar. `stillWanted`
 * ends the polling when the user has moved on (then this rejects with an AbortError).
 */
export async function whenIndexed<T>(path: string, into: HTMLElement, stillWanted: () => boolean): Promise<T> {
  let bar: HTMLProgressElement | null = null;
  let label: HTMLElement | null = null;
  for (;;) {
    const answer = await getOrAccepted<T, Indexing>(path);
    if (answer.status === 200) return answer.body;
    if (!stillWanted()) throw new DOMException('no longer shown', 'AbortError');
    if (!bar || !label || !bar.isConnected) {
      bar = h('progress', { class: 'profile-indexing-bar', max: 1, value: 0 });
      label = h('span', { class: 'muted small' });
      into.replaceChildren(h('div', { class: 'profile-indexing', role: 'status' }, label, bar));
    }
    bar.value = answer.body.progress;
    bar.dataset.progress = String(answer.body.progress);
    label.textContent = indexingText(answer.body);
    await new Promise((resolve) => setTimeout(resolve, answer.retryAfterSeconds * 1000));
    if (!stillWanted()) throw new DOMException('no longer shown', 'AbortError');
  }
}
