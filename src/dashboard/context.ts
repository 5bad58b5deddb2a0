/** What every component reads: the language, the translator, the formatter, the API's meta, navigation. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Formatter } from './format.ts';
import type { Lang, Translate } from './i18n.ts';
import type { Meta } from './types.ts';

export interface AppContextValue {
  lang: Lang;
  t: Translate;
  f: Formatter;
  meta: Meta | null;
  navigate(path: string, options?: { replace?: boolean }): void;
  /** Says something to screen readers (a polite live region). */
  announce(message: string): void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the app');
  return value;
}
