// Entry point: theme, sign-in (or the "auth off" marker), then the experiment browser or one
// experiment, as the URL hash says.

import { Store } from './app/state';
import { ExperimentPage } from './app/experiment-page';
import { experimentBrowser } from './app/experiment-browser';
import { alertsPage } from './app/alerts-page';
import { alertsProject } from './app/alert-links';
import { applyStoredTheme, themeToggle } from './app/theme';
import { SignInProblem, startSession, type SessionState } from './auth/session';
import { h, notice } from './ui/dom';

applyStoredTheme();

function topbar(session: SessionState): HTMLElement {
  const auth = session.authEnabled
    ? h('span', { class: 'auth-user', title: 'signed in' }, session.user ?? 'signed in')
    : h('span', { class: 'auth-off', title: 'the local suite runs without sign-in and binds to 127.0.0.1 only' }, 'auth off (local)');
  let signOut: HTMLElement | null = null;
  if (session.signOut) {
    signOut = h('button', { type: 'button', class: 'small' }, 'Sign out');
    signOut.addEventListener('click', () => void session.signOut!());
  }
  return h('header', { class: 'topbar' },
    h('a', { href: '#/', class: 'brand', 'aria-label': 'Athanor home' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '⚗'), 'Athanor'),
    h('span', { class: 'grow' }),
    session.version ? h('span', { class: 'muted small' }, `v${session.version}`) : null,
    auth, signOut, themeToggle());
}

function startFailure(e: unknown): HTMLElement {
  if (!(e instanceof SignInProblem)) return notice(`Cannot reach the Athanor API: ${(e as Error).message}`, 'error');
  const shown = notice(e.message, 'error');
  if (e.retry) {
    const again = h('button', { type: 'button', class: 'sign-in-again' }, 'Sign in again');
    again.addEventListener('click', () => void e.retry!());
    shown.append(' ', again);
  }
  return shown;
}

async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  let session: SessionState;
  try {
    session = await startSession();
  } catch (e) {
    root.replaceChildren(startFailure(e));
    return;
  }
  const store = new Store();
  const main = h('main', { id: 'main', tabindex: -1 });
  root.replaceChildren(h('a', { href: '#main', class: 'skip-link' }, 'Skip to content'), topbar(session), main);
  let page: ExperimentPage | null = null;

  const render = () => {
    const state = store.state;
    if (state.experiment === null) {
      page?.destroy();
      page = null;
      document.title = 'Athanor';
      const project = alertsProject(location.hash);
      if (project !== null) {
        document.title = `Alerts · ${project} · Athanor`;
        main.replaceChildren(alertsPage(project));
        return;
      }
      main.replaceChildren(experimentBrowser((id) => store.update({ experiment: id, tab: 'scalars', runs: null, filter: '', sort: '', columns: [], tagFilter: '', group: '', open: [], pins: [], run: null }, true)));
      return;
    }
    if (!page || page.experimentId !== state.experiment) {
      page?.destroy();
      page = new ExperimentPage(store, state.experiment);
      main.replaceChildren(page.element);
    }
  };
  store.subscribe((state, previous) => {
    if (state.experiment !== previous.experiment) render();
    else page?.onState(state, previous);
  });
  // The alerts page and the browser both have no experiment: the store sees no change between them.
  window.addEventListener('hashchange', () => {
    if (store.state.experiment === null) render();
  });
  render();
  document.body.dataset.ready = 'true';
}

void boot();
