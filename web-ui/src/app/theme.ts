// Light and dark themes: the user's choice is remembered; without one, the system's preference.

const KEY = 'athanor.theme';

export function applyStoredTheme(): void {
  const stored = localStorage.getItem(KEY);
  const dark = stored ? stored === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

export function themeToggle(): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'theme-toggle';
  const label = () => {
    const dark = document.documentElement.dataset.theme === 'dark';
    button.textContent = dark ? '☀ light' : '☾ dark';
    button.setAttribute('aria-label', dark ? 'switch to the light theme' : 'switch to the dark theme');
  };
  button.addEventListener('click', () => {
    const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    localStorage.setItem(KEY, next);
    label();
    window.dispatchEvent(new Event('athanor-theme'));
  });
  label();
  return button;
}
