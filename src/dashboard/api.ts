/**
 * The API client: same-origin fetches of `/api/v1/…`, the bearer token (asked for when the API
 * answers 401 or before a write, kept in sessionStorage), JSON on writes, errors as {@link ApiError}.
 */
import { prefs } from './prefs.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type TokenReason = 'required' | 'invalid' | 'write';
type TokenPrompt = (reason: TokenReason) => Promise<string | null>;

let prompt: TokenPrompt = async () => null;
let pending: Promise<string | null> | null = null;
const listeners = new Set<() => void>();

/** The UI's way of asking for the token (a form); resolves with null when the user cancels. */
export function setTokenPrompt(fn: TokenPrompt): void {
  prompt = fn;
}

/** Asks once even when several requests need the token at the same time. */
function askToken(reason: TokenReason): Promise<string | null> {
  pending ??= prompt(reason).then((token) => {
    pending = null;
    if (token) setToken(token);
    return token;
  });
  return pending;
}

export function token(): string | null {
  return prefs.token();
}

export function setToken(value: string | null): void {
  prefs.setToken(value && value.trim() ? value.trim() : null);
  for (const listener of listeners) listener();
}

export function onTokenChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function errorOf(response: Response): Promise<ApiError> {
  let code = `http-${response.status}`;
  let message = response.statusText;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // Not JSON (a proxy's page): keep the status.
  }
  return new ApiError(response.status, code, message);
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  accept?: string;
  /** False: answer a 401 with an error instead of asking for the token (early fetches). */
  ask?: boolean;
}

/** One API request, asking for the token when needed; at most two tries with a new token. */
export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  let bearer = token();
  if (method !== 'GET' && !bearer) {
    bearer = await askToken('write');
    if (!bearer) throw new ApiError(401, 'cancelled', 'no token');
  }
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = { Accept: options.accept ?? 'application/json' };
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
    }
    if (response.status === 401 && attempt < 2 && options.ask !== false) {
      if (bearer) setToken(null);
      bearer = await askToken(bearer ? 'invalid' : 'required');
      if (!bearer) throw await errorOf(response);
      continue;
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal, ask = true): Promise<T> {
  const response = await request(path, { signal, ask });
  return (await response.json()) as T;
}

export async function send<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T | null> {
  const response = await request(path, { method, body: method === 'POST' ? (body ?? {}) : body });
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? (JSON.parse(text) as T) : null;
}

/**
 * Downloads an export with the token in the header (a plain link cannot send it): fetched, then
 * saved through an object URL.
 */
export async function download(path: string, filename: string, accept: string): Promise<void> {
  const response = await request(path, { accept });
  const blob = await response.blob();
  saveBlob(blob, filenameOf(response) ?? filename);
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function filenameOf(response: Response): string | null {
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const match = /filename="?([^";]+)"?/i.exec(disposition);
  return match?.[1] ?? null;
}
