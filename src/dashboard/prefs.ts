/**
 * What the dashboard remembers: the language and theme (localStorage, across visits) and the API
 * token (sessionStorage: this tab only, gone when it closes). Storage may be disabled; then the
 * choices last until the page is reloaded.
 */

function read(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return null;
  }
}

function write(storage: () => Storage, key: string, value: string | null): void {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, value);
  } catch {
    // Storage disabled or full: keep going without it.
  }
}

const local = () => window.localStorage;
const session = () => window.sessionStorage;

export const THEMES = ['auto', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const prefs = {
  language: () => read(local, 'prodeng.language'),
  setLanguage: (value: string) => write(local, 'prodeng.language', value),
  theme: (): Theme => {
    const value = read(local, 'prodeng.theme');
    return (THEMES as readonly string[]).includes(value ?? '') ? (value as Theme) : 'auto';
  },
  setTheme: (value: Theme) => write(local, 'prodeng.theme', value === 'auto' ? null : value),
  token: () => read(session, 'prodeng.token'),
  setToken: (value: string | null) => write(session, 'prodeng.token', value),
};

/** Applies a theme: `auto` follows prefers-color-scheme (in the style sheet). */
export function applyTheme(theme: Theme): void {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}
