import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasourceError } from '../datasources/registry.js';
import { startServer, type TestServer } from '../datasources/test-support/server.js';
import { type GitHubActionsOptions, type GitHubActionsSummary, githubActionsRecords, nextLink, tokenFromEnv } from './github.js';
import type { CiRecord } from './model.js';
import { ciRecordSchema } from './model.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'github');
const TOKEN = 'ghp_s3cr3tT0kenValue0123456789abcdefABCD';
const NOW = Date.parse('2024-05-02T00:00:00Z');
const REPO = '/repos/octo-org/octo-repo';
const RUNS_1 = `${REPO}/actions/runs?per_page=100&created=%3E%3D2024-04-01&page=1`;
const RUNS_2 = '/repositories/1296269/actions/runs?per_page=100&created=%3E%3D2024-04-01&page=2';
const jobsPath = (id: number, page = 1) => `${REPO}/actions/runs/${id}/jobs?filter=all&per_page=100&page=${page}`;

let server: TestServer;
let waits: number[];
beforeEach(async () => {
  server = await startServer();
  waits = [];
});
afterEach(async () => {
  await server.close();
});

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8').replaceAll('{{base}}', server.base));
}

function options(overrides: Partial<GitHubActionsOptions> = {}): GitHubActionsOptions {
  return {
    repo: 'octo-org/octo-repo',
    since: '2024-04-01',
    token: TOKEN,
    baseUrl: server.base,
    http: { retryBaseMs: 1, maxRetryWaitMs: 5, timeoutMs: 5_000, sleep: async () => undefined },
    signal: AbortSignal.timeout(30_000),
    sleep: async (ms) => void waits.push(ms),
    now: () => NOW,
    ...overrides,
  };
}

/** Every record until the end or an error; the summary or the error. */
async function collect(opts: GitHubActionsOptions): Promise<{ records: CiRecord[]; summary?: GitHubActionsSummary; error?: unknown }> {
  const records: CiRecord[] = [];
  const generator = githubActionsRecords(opts);
  try {
    for (;;) {
      const next = await generator.next();
      if (next.done) return { records, summary: next.value };
      records.push(next.value);
    }
  } catch (error) {
    return { records, error };
  }
}

function rateHeaders(remaining: number, resetSeconds: number): Record<string, string> {
  return { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(Math.floor(NOW / 1000) + resetSeconds), 'x-ratelimit-resource': 'core' };
}

function serveRepository(): void {
  server.route(RUNS_1, {
    body: fixture('runs-page-1.json'),
    headers: { ...rateHeaders(4990, 3600), link: `<${server.base}${RUNS_2}>; rel="next", <${server.base}${RUNS_2}>; rel="last"` },
  });
  server.route(RUNS_2, {
    body: fixture('runs-page-2.json'),
    headers: { ...rateHeaders(4989, 3600), link: `<${server.base}${RUNS_1.replace('page=1', 'page=1')}>; rel="first", <${server.base}${RUNS_1}>; rel="prev"` },
  });
  server.route(jobsPath(30433642), { body: fixture('jobs-30433642.json'), headers: rateHeaders(4988, 3600) });
  server.route(jobsPath(30433641), { body: fixture('jobs-30433641.json'), headers: rateHeaders(4987, 3600) });
}

describe('githubActionsRecords', () => {
  it('reads runs page by page (Link rel="next"), their jobs of every attempt and the steps', async () => {
    serveRepository();
    const { records, summary, error } = await collect(options());
    expect(error).toBeUndefined();
    expect(summary).toEqual({ runs: 3, jobs: 4, requests: 4, truncated: false, rateLimitWaitMs: 0 });
    for (const record of records) expect(ciRecordSchema.safeParse(record).success).toBe(true);

    const runRow = records.find((r) => r.run === '30433642' && r.job === null);
    expect(runRow).toEqual({
      pipeline: '.github/workflows/build.yml',
      run: '30433642',
      attempt: 2,
      job: null,
      step: null,
      status: 'success',
      commit: 'acb5820ced9479c074f688cc328bf03f341a511d',
      branch: 'main',
      queuedAt: '2024-05-01T10:00:00.000Z',
      startedAt: '2024-05-01T10:20:00.000Z',
      // the last job of the latest attempt, not updated_at (10:45:10)
      finishedAt: '2024-05-01T10:45:00.000Z',
      url: 'https://github.com/octo-org/octo-repo/actions/runs/30433642',
    });
    const build = records.filter((r) => r.run === '30433642' && r.job === 'build' && r.step === null);
    expect(build.map((r) => [r.attempt, r.status, r.queuedAt, r.startedAt, r.finishedAt])).toEqual([
      [2, 'success', '2024-05-01T10:20:00.000Z', '2024-05-01T10:22:00.000Z', '2024-05-01T10:30:00.000Z'],
      [1, 'failure', '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:10.000Z', '2024-05-01T10:05:00.000Z'],
    ]);
    // step times with an offset are normalised to UTC; steps carry their job's queue time
    expect(records.find((r) => r.run === '30433642' && r.attempt === 2 && r.step === 'Build')).toMatchObject({
      job: 'build',
      status: 'success',
      queuedAt: '2024-05-01T10:20:00.000Z',
      startedAt: '2024-05-01T10:22:15.000Z',
      finishedAt: '2024-05-01T10:29:55.000Z',
      url: 'https://github.com/octo-org/octo-repo/actions/runs/30433642/job/399444496',
    });
    expect(records.find((r) => r.step === 'Upload coverage')).toMatchObject({ status: 'skipped', startedAt: null, finishedAt: null });
    // the pull request run: `@refs/pull/7/merge` is not part of the pipeline
    expect(records.find((r) => r.run === '30433641' && r.job === null)).toMatchObject({ pipeline: '.github/workflows/build.yml', status: 'failure', branch: 'feature/cache' });
    // a queued run: its run row only, no jobs request
    expect(records.filter((r) => r.run === '30433600')).toEqual([
      {
        pipeline: '.github/workflows/docs.yml',
        run: '30433600',
        attempt: 1,
        job: null,
        step: null,
        status: 'in_progress',
        commit: 'ccc5820ced9479c074f688cc328bf03f341a511d',
        branch: 'main',
        queuedAt: '2024-04-29T00:00:00.000Z',
        startedAt: '2024-04-29T00:00:00.000Z',
        finishedAt: null,
        url: 'https://github.com/octo-org/octo-repo/actions/runs/30433600',
      },
    ]);
    expect(server.hits(jobsPath(30433600))).toBe(0);
    expect(records).toHaveLength(3 + 4 + 4 + 4 + 3 + 2);

    expect(server.requests.map((r) => r.url)).toEqual([RUNS_1, jobsPath(30433642), jobsPath(30433641), RUNS_2]);
    for (const request of server.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers.accept).toBe('application/vnd.github+json');
      expect(request.headers['x-github-api-version']).toBe('2022-11-28');
    }
    expect(JSON.stringify(records)).not.toContain(TOKEN);
  });

  it("takes the first step's start as the job's when started_at is still the enqueue time", async () => {
    const runs = { total_count: 1, workflow_runs: [{ ...(fixture('runs-page-1.json') as { workflow_runs: object[] }).workflow_runs[1] }] };
    server.route(RUNS_1, { body: runs });
    const jobs = fixture('jobs-30433641.json') as { jobs: Array<Record<string, unknown>> };
    const queued = { ...jobs.jobs[0], started_at: '2024-04-30T08:00:00Z' }; // = created_at; its first step starts at 08:01:00
    server.route(jobsPath(30433641), { body: { total_count: 1, jobs: [queued] } });
    const { records } = await collect(options());
    expect(records.find((r) => r.job === 'build' && r.step === null)).toMatchObject({ queuedAt: '2024-04-30T08:00:00.000Z', startedAt: '2024-04-30T08:01:00.000Z' });
  });

  it('uses the workflow name as the pipeline when asked', async () => {
    serveRepository();
    const { records } = await collect(options({ pipelineKey: 'name' }));
    expect(new Set(records.map((r) => r.pipeline))).toEqual(new Set(['Build', 'Docs']));
  });

  it('pages by total_count when there is no Link header', async () => {
    const runs = { total_count: 1, workflow_runs: [{ ...(fixture('runs-page-1.json') as { workflow_runs: object[] }).workflow_runs[0], id: 7 }] };
    server.route(`${REPO}/actions/runs?per_page=100&page=1`, { body: runs });
    const job = (fixture('jobs-30433641.json') as { jobs: Array<Record<string, unknown>> }).jobs[0] as Record<string, unknown>;
    const jobs = Array.from({ length: 150 }, (_, i) => ({ ...job, id: 1000 + i, run_id: 7, name: `shard ${i}`, steps: [] }));
    server.route(jobsPath(7, 1), { body: { total_count: 150, jobs: jobs.slice(0, 100) } });
    server.route(jobsPath(7, 2), { body: { total_count: 150, jobs: jobs.slice(100) } });
    const { records, summary, error } = await collect(options({ since: null }));
    expect(error).toBeUndefined();
    expect(summary?.jobs).toBe(150);
    expect(records.filter((r) => r.job !== null)).toHaveLength(150);
    expect(server.hits(jobsPath(7, 3))).toBe(0);
  });

  it('asks again past the 1,000 runs a filtered query lists, and stops at maxRuns', async () => {
    const run = (id: number, created: string) => ({ id, name: 'Build', path: '.github/workflows/build.yml', status: 'in_progress', conclusion: null, run_attempt: 1, created_at: created, html_url: null });
    // 1,050 runs, newest first, one a minute back from 2024-04-20T00:00:00Z
    const created = (i: number) => new Date(Date.parse('2024-04-20T00:00:00Z') - i * 60_000).toISOString().replace('.000Z', 'Z');
    for (let page = 1; page <= 10; page++) {
      const list = Array.from({ length: 100 }, (_, k) => run(50_000 - ((page - 1) * 100 + k), created((page - 1) * 100 + k)));
      server.route(`${REPO}/actions/runs?per_page=100&created=%3E%3D2024-04-01&page=${page}`, { body: { total_count: 1050, workflow_runs: list } });
    }
    const oldest = created(999);
    const window = `${REPO}/actions/runs?per_page=100&created=${encodeURIComponent(`2024-04-01..${oldest}`)}&page=1`;
    // the second query repeats the oldest run (the bound is inclusive) and brings the 50 older ones
    server.route(window, { body: { total_count: 51, workflow_runs: Array.from({ length: 51 }, (_, k) => run(50_000 - (999 + k), created(999 + k))) } });

    const all = await collect(options({ maxRuns: 5000 }));
    expect(all.error).toBeUndefined();
    expect(all.summary).toMatchObject({ runs: 1050, truncated: false });
    expect(new Set(all.records.map((r) => r.run)).size).toBe(1050);
    expect(server.hits(window)).toBe(1);

    const some = await collect(options({ maxRuns: 150 }));
    expect(some.summary).toMatchObject({ runs: 150, truncated: true });
    expect(some.records).toHaveLength(150);
  });

  it('waits for the primary rate limit to reset, then goes on', async () => {
    server.route(
      `${REPO}/actions/runs?per_page=100&created=%3E%3D2024-04-01&page=1`,
      { status: 403, headers: rateHeaders(0, 30), body: { message: 'API rate limit exceeded for user ID 1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' } },
      { body: { total_count: 0, workflow_runs: [] }, headers: rateHeaders(4999, 3600) },
    );
    const { summary, error } = await collect(options());
    expect(error).toBeUndefined();
    expect(waits).toEqual([31_000]);
    expect(summary).toMatchObject({ runs: 0, requests: 2, rateLimitWaitMs: 31_000 });
  });

  it('waits before the next request when an answer says the limit is spent', async () => {
    serveRepository();
    server.route(RUNS_1, {
      body: fixture('runs-page-1.json'),
      headers: { ...rateHeaders(0, 20), link: `<${server.base}${RUNS_2}>; rel="next"` },
    });
    const { summary, error } = await collect(options());
    expect(error).toBeUndefined();
    expect(waits).toEqual([21_000]);
    expect(summary?.runs).toBe(3);
  });

  it('stops with rate-limited, keeping the runs read, when the reset is too far away', async () => {
    serveRepository();
    server.route(jobsPath(30433641), { status: 403, headers: rateHeaders(0, 7200), body: { message: 'API rate limit exceeded for user ID 1.' } });
    const { records, summary, error } = await collect(options());
    expect(summary).toBeUndefined();
    expect(error).toBeInstanceOf(DatasourceError);
    const failure = error as DatasourceError;
    expect(failure.code).toBe('rate-limited');
    expect(failure.host).toBe(server.host);
    expect(failure.message).toContain('primary rate limit exhausted until 2024-05-02T02:00:00.000Z');
    expect(failure.message).toContain('stopped after 1 runs');
    expect(failure.message).not.toContain(TOKEN);
    expect(waits).toEqual([]);
    // the first run was read completely before the limit hit
    expect(records.filter((r) => r.run === '30433642')).toHaveLength(1 + 3 + 11);
    expect(records.some((r) => r.run === '30433641')).toBe(false);
  });

  it('honours retry-after on a 403 secondary rate limit', async () => {
    serveRepository();
    server.route(
      jobsPath(30433641),
      {
        status: 403,
        headers: { 'retry-after': '60', ...rateHeaders(4000, 3600) },
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' },
      },
      { body: fixture('jobs-30433641.json') },
    );
    const { summary, error } = await collect(options());
    expect(error).toBeUndefined();
    expect(waits).toEqual([61_000]);
    expect(summary?.runs).toBe(3);
    expect(server.hits(jobsPath(30433641))).toBe(2);
  });

  it('waits a minute on a secondary limit without headers (403 with the message, or 429)', async () => {
    serveRepository();
    server.route(jobsPath(30433641), { status: 403, body: { message: 'You have exceeded a secondary rate limit.' } }, { status: 429, body: '' }, { body: fixture('jobs-30433641.json') });
    const { error } = await collect(options());
    expect(error).toBeUndefined();
    expect(waits).toEqual([61_000, 61_000]);
  });

  it('stops when the secondary limit asks for a longer wait than allowed', async () => {
    serveRepository();
    server.route(jobsPath(30433641), { status: 429, headers: { 'retry-after': '120' } });
    const { error } = await collect(options({ maxRateLimitWaitMs: 60_000 }));
    expect((error as DatasourceError).code).toBe('rate-limited');
    expect((error as DatasourceError).message).toMatch(/secondary rate limit, retry after 120 s; waiting 121 s is more than allowed \(stopped after 1 runs\)/);
  });

  it('gives up after maxRateLimitRetries rate-limited answers for one request', async () => {
    serveRepository();
    server.route(jobsPath(30433641), { status: 429, headers: { 'retry-after': '1' } });
    const { error } = await collect(options({ maxRateLimitRetries: 2 }));
    expect((error as DatasourceError).code).toBe('rate-limited');
    expect(waits).toEqual([2000, 2000]);
    expect(server.hits(jobsPath(30433641))).toBe(3);
  });

  it('reports a refused token (401) without the token', async () => {
    server.route(RUNS_1, { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } });
    const { records, error } = await collect(options({ tokenEnv: 'CI_TOKEN' }));
    expect(records).toEqual([]);
    expect(error).toBeInstanceOf(DatasourceError);
    const failure = error as DatasourceError;
    expect(failure.code).toBe('unavailable');
    expect(failure.message).toBe(`${server.host}: HTTP 401 for /repos/octo-org/octo-repo/actions/runs: the token was refused (bad or expired) (token from CI_TOKEN)`);
    const everything = `${failure.message} ${failure.stack} ${String((failure.cause as Error | undefined)?.message)} ${JSON.stringify(failure)}`;
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('s3cr3t');
    expect(server.hits(RUNS_1)).toBe(1); // not retried
  });

  it('explains a 403 that is not a rate limit, without the token', async () => {
    server.route(RUNS_1, { status: 403, headers: rateHeaders(4999, 3600), body: { message: 'Resource not accessible by personal access token' } });
    const { error } = await collect(options());
    expect((error as DatasourceError).code).toBe('unavailable');
    expect((error as DatasourceError).message).toBe(`${server.host}: HTTP 403 Forbidden for /repos/octo-org/octo-repo/actions/runs: the token lacks access (needs actions:read)`);
    expect(waits).toEqual([]);
  });

  it('retries a 5xx through the HttpClient', async () => {
    serveRepository();
    server.route(RUNS_1, { status: 502, body: 'Bad Gateway' }, { status: 503 }, { body: { total_count: 0, workflow_runs: [] } });
    const { summary, error } = await collect(options());
    expect(error).toBeUndefined();
    expect(summary?.runs).toBe(0);
    expect(server.hits(RUNS_1)).toBe(3);
    expect(waits).toEqual([]); // backoff is the HttpClient's, not a rate-limit wait
  });

  it('says so when the repository is not there (404)', async () => {
    const { error } = await collect(options());
    expect((error as DatasourceError).code).toBe('unavailable');
    expect((error as DatasourceError).message).toContain('no repository octo-org/octo-repo there, or the token cannot see it');
  });

  it('works under a GitHub Enterprise base path, anonymously', async () => {
    server.route(`/api/v3${RUNS_1}`, { body: { total_count: 0, workflow_runs: [] } });
    const { summary, error } = await collect(options({ baseUrl: `${server.base}/api/v3/`, token: null, apiVersion: null }));
    expect(error).toBeUndefined();
    expect(summary?.requests).toBe(1);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(server.requests[0]?.headers['x-github-api-version']).toBeUndefined();
  });

  it('refuses a next page on another origin (the token stays on the API origin)', async () => {
    const other = server.base.replace('127.0.0.1', 'localhost');
    server.route(RUNS_1, { body: fixture('runs-page-2.json'), headers: { link: `<${other}${RUNS_2}>; rel="next"` } });
    server.route(RUNS_2, { body: fixture('runs-page-2.json') });
    const { records, error } = await collect(options());
    expect((error as DatasourceError).code).toBe('malformed');
    expect(records).toHaveLength(1);
    expect(server.hits(RUNS_2)).toBe(0);
  });

  it('refuses a malformed repository or --since before any request', async () => {
    await expect(collect(options({ repo: 'octo-org' }))).resolves.toMatchObject({ error: expect.any(TypeError) });
    await expect(collect(options({ repo: 'a/b/c' }))).resolves.toMatchObject({ error: expect.any(TypeError) });
    await expect(collect(options({ since: 'last week' }))).resolves.toMatchObject({ error: expect.any(TypeError) });
    await expect(collect(options({ since: '2024-02-30' }))).resolves.toMatchObject({ error: expect.any(TypeError) });
    const { error } = await collect(options({ token: 'ghp_abc\ndef' }));
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).not.toContain('ghp_abc');
    expect(server.requests).toEqual([]);
  });

  it('accepts an ISO timestamp for --since', async () => {
    const path = `${REPO}/actions/runs?per_page=100&created=${encodeURIComponent('>=2024-04-01T12:00:00Z')}&page=1`;
    server.route(path, { body: { total_count: 0, workflow_runs: [] } });
    const { error } = await collect(options({ since: '2024-04-01T14:00:00+02:00' }));
    expect(error).toBeUndefined();
    expect(server.hits(path)).toBe(1);
  });

  it('rejects an answer of the wrong shape as malformed', async () => {
    server.route(RUNS_1, { body: { total_count: 1, workflow_runs: [{ id: 'x' }] } });
    const { error } = await collect(options());
    expect((error as DatasourceError).code).toBe('malformed');
  });
});

describe('nextLink', () => {
  it('finds rel="next" among the relations', () => {
    expect(nextLink('<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"')).toBe('https://api.github.com/x?page=2');
    expect(nextLink('<https://a/x?page=1>; rel="prev", <https://a/x?page=3>; rel="next"')).toBe('https://a/x?page=3');
    expect(nextLink('<https://a/x?page=1>; rel="first", <https://a/x?page=1>; rel="prev"')).toBeNull();
    expect(nextLink('<https://a/x?a=1,2>; rel="next"')).toBe('https://a/x?a=1,2');
    expect(nextLink(null)).toBeNull();
    expect(nextLink('garbage')).toBeNull();
  });
});

describe('tokenFromEnv', () => {
  it('reads the named variable, default GITHUB_TOKEN', () => {
    expect(tokenFromEnv(undefined, { GITHUB_TOKEN: ' abc ' })).toBe('abc');
    expect(tokenFromEnv('CI_TOKEN', { CI_TOKEN: 'x', GITHUB_TOKEN: 'y' })).toBe('x');
    expect(tokenFromEnv('CI_TOKEN', { CI_TOKEN: '' })).toBeUndefined();
    expect(() => tokenFromEnv('NOT A NAME', {})).toThrow(TypeError);
  });
});
