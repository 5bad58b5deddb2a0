/** Data loading for the pages. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, getJson } from './api.ts';

/** Answers asked for before the first render (main.tsx), taken by the first useApi of the path. */
const early = new Map<string, Promise<unknown>>();

/**
 * Starts a GET before the page renders, without asking for a token: a 401 is left to the page's
 * own request, which asks.
 */
export function prefetch(path: string): void {
  const pending = getJson(path, undefined, false);
  pending.catch(() => undefined);
  early.set(path, pending);
}

function load<T>(path: string, signal: AbortSignal): Promise<T> {
  const pending = early.get(path) as Promise<T> | undefined;
  if (!pending) return getJson<T>(path, signal);
  early.delete(path);
  return pending.catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 401) return getJson<T>(path, signal);
    throw error;
  });
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/**
 * GETs an API path (null: nothing to load) and keeps the answer; a newer path or a reload aborts
 * the request in flight. The previous answer stays while the next one loads, so paging and
 * reloading do not flicker.
 */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: path !== null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) {
      setState({ data: undefined, error: undefined, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((previous) => ({ data: previous.data, error: undefined, loading: true }));
    load<T>(path, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ data: undefined, error, loading: false });
      },
    );
    return () => controller.abort();
  }, [path, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

/** Sets the document's title while a page is shown. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} – prodeng` : 'prodeng';
  }, [title]);
}
