import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, getJson, request, send, setTokenPrompt, type TokenReason } from './api.ts';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

let calls: Call[];
let answers: ((call: Call) => Response)[];

beforeEach(() => {
  calls = [];
  answers = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    const call = { url, method: init.method ?? 'GET', headers: init.headers as Record<string, string>, body: init.body as string | undefined };
    calls.push(call);
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${url}`);
    return answer(call);
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  setTokenPrompt(async () => null);
});

const json = (status: number, body: unknown) => () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('API client', () => {
  it('reads JSON without a token when none is needed', async () => {
    answers.push(json(200, { version: '1' }));
    expect(await getJson('/api/v1/meta')).toEqual({ version: '1' });
    expect(calls[0]!.headers.Authorization).toBeUndefined();
    expect(calls[0]!.headers['Content-Type']).toBeUndefined();
  });

  it('asks for the token once on 401, however many requests needed it, and retries with it', async () => {
    const asked: TokenReason[] = [];
    setTokenPrompt(async (reason) => {
      asked.push(reason);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return 'secret-token-value';
    });
    answers.push(json(401, { error: { code: 'unauthorized', message: 'token needed' } }), json(401, { error: { code: 'unauthorized', message: 'token needed' } }));
    answers.push(json(200, { a: 1 }), json(200, { b: 2 }));
    const results = await Promise.all([getJson('/api/v1/overview'), getJson('/api/v1/meta')]);
    expect(results).toEqual([{ a: 1 }, { b: 2 }]);
    expect(asked).toEqual(['required']);
    expect(calls.slice(2).map((c) => c.headers.Authorization)).toEqual(['Bearer secret-token-value', 'Bearer secret-token-value']);
  });

  it('gives up with the server’s error when the token is not given', async () => {
    setTokenPrompt(async () => null);
    answers.push(json(401, { error: { code: 'unauthorized', message: 'token needed' } }));
    const error = await getJson('/api/v1/meta').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', message: 'token needed' });
  });

  it('asks for the token before a write and sends JSON', async () => {
    const asked: TokenReason[] = [];
    setTokenPrompt(async (reason) => {
      asked.push(reason);
      return 'secret-token-value';
    });
    answers.push(() => new Response(JSON.stringify({ queued: true }), { status: 202 }));
    expect(await send('POST', '/api/v1/systems/web/observe', {})).toEqual({ queued: true });
    expect(asked).toEqual(['write']);
    expect(calls[0]).toMatchObject({ method: 'POST', body: '{}', headers: { Authorization: 'Bearer secret-token-value', 'Content-Type': 'application/json' } });
  });

  it('does not write when the token form is cancelled', async () => {
    setTokenPrompt(async () => null);
    const error = await send('POST', '/api/v1/ignores', { reason: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(calls).toEqual([]);
  });

  it('answers 204 with null and keeps DELETE without a body', async () => {
    setTokenPrompt(async () => 'secret-token-value');
    answers.push(() => new Response(null, { status: 204 }));
    expect(await send('DELETE', '/api/v1/ignores/3')).toBeNull();
    expect(calls[0]!.body).toBeUndefined();
    expect(calls[0]!.headers['Content-Type']).toBeUndefined();
  });

  it('turns errors that are not JSON, and network failures, into ApiError', async () => {
    answers.push(() => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(await getJson('/api/v1/meta').catch((e: unknown) => e)).toMatchObject({ status: 502, code: 'http-502', message: 'Bad Gateway' });
    answers.push(() => {
      throw new TypeError('fetch failed');
    });
    expect(await request('/api/v1/meta').catch((e: unknown) => e)).toMatchObject({ status: 0, code: 'network' });
  });

  it('leaves a 401 to the caller when told not to ask (early fetches)', async () => {
    const prompt = vi.fn(async () => 'x');
    setTokenPrompt(prompt);
    answers.push(json(401, { error: { code: 'unauthorized', message: 'token needed' } }));
    expect(await getJson('/api/v1/meta', undefined, false).catch((e: unknown) => e)).toMatchObject({ status: 401 });
    expect(prompt).not.toHaveBeenCalled();
  });
});
