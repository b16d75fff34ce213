// An inline confirmation: the action button opens a panel that says what will happen, with the
// button that does it and Cancel. Inline (not window.confirm) so it is readable, styled and
// testable in a browser like any other element.

import { h } from './dom';
import { ApiError } from '../api/client';

/**
 * A button labelled `ask` that opens a confirmation saying `what()` (computed when opened, and
 * awaited when it asks the server: the button that acts stays disabled until the message is shown,
 * so nobody confirms what they have not read); `act` runs on confirm and the server's message
 * shows if it fails. `cls` names the parts for tests.
 */
export function confirmAction(cls: string, ask: string, confirmLabel: string, what: () => string | Promise<string>,
  act: () => Promise<void>): HTMLElement {
  const open = h('button', { type: 'button', class: `${cls} danger` }, ask);
  const message = h('p', { class: 'confirm-message' });
  const go = h('button', { type: 'button', class: `${cls}-confirm danger` }, confirmLabel);
  const cancel = h('button', { type: 'button', class: `${cls}-cancel` }, 'Cancel');
  const error = h('div', { class: 'field-error', role: 'alert' });
  const panel = h('div', { class: `confirm ${cls}-dialog`, role: 'alertdialog', 'aria-label': ask }, message,
    h('div', { class: 'form-actions' }, go, cancel), error);
  panel.hidden = true;
  open.addEventListener('click', () => {
    error.textContent = '';
    message.textContent = '…';
    go.disabled = true;
    panel.hidden = false;
    void Promise.resolve().then(what).then((text) => {
      message.textContent = text;
      go.disabled = false;
      go.focus();
    }, (e: unknown) => {
      error.textContent = e instanceof ApiError ? e.describe() : (e as Error).message;
    });
  });
  cancel.addEventListener('click', () => { panel.hidden = true; });
  go.addEventListener('click', () => {
    go.disabled = true;
    act().then(() => { panel.hidden = true; }, (e: unknown) => {
      error.textContent = e instanceof ApiError ? e.describe() : (e as Error).message;
    }).finally(() => { go.disabled = false; });
  });
  return h('span', { class: `${cls}-action` }, open, panel);
}
