/**
 * GitHub Actions as a CI source: workflow runs, their jobs and the jobs' steps through the REST API
 * (github.com or GitHub Enterprise Server), as normalised {@link CiRecord}s.
 *
 *   GET {base}/repos/{owner}/{repo}/actions/runs?per_page=100&created=>=SINCE&page=N
 *   GET {base}/repos/{owner}/{repo}/actions/runs/{id}/jobs?filter=all&per_page=100&page=N
 *
 * Requests go one at a time (GitHub asks integrations not to send concurrent requests). Paging
 * follows `Link: rel="next"` on the API's origin, else counts pages against `total_count`. The list
 * of runs answers at most 1,000 runs per filtered query: beyond that the client asks again for the
 * runs created up to the oldest one seen (`created=SINCE..OLDEST`) until a query brings nothing new.
 *
 * The shared {@link HttpClient} does the transport (timeouts, retries of network errors and 5xx,
 * size limits, zod validation, redaction of the token from its messages); a thin wrapper around its
 * `fetch` reads what it does not expose: the `Link` and `x-ratelimit-*` headers, and GitHub's rate
 * limit answers (403/429), which it turns into waits (bounded) or a `DatasourceError('rate-limited')`.
 *
 * The token is sent as `Authorization: Bearer …` to the API origin only; it is never part of a
 * record, an error or a URL.
 */
import { z } from 'zod';
import { HttpClient, type HttpClientOptions, retryAfterMs } from '../datasources/http.js';
import { DatasourceError } from '../datasources/registry.js';
import { type CiRecord, githubStatus, normaliseTimestamp } from './model.js';

export const GITHUB_API = 'https://api.github.com';
export const DEFAULT_TOKEN_ENV = 'GITHUB_TOKEN';

export interface GitHubActionsOptions {
  /** `owner/name`. */
  repo: string;
  /** Only runs created at or after this date (`YYYY-MM-DD` or an ISO 8601 timestamp). */
  since?: string | null;
  /** A token (from the variable `--token-env` names). Without one, requests are anonymous (60 an hour). */
  token?: string | null;
  /** The API root: `https://api.github.com` (default), or `https://ghe.example.com/api/v3`. */
  baseUrl?: string;
  /** Options of the HttpClient this source builds (fetchImpl, timeoutMs, retries for 5xx…). */
  http?: HttpClientOptions;
  signal?: AbortSignal;
  /** Most runs read (newest first). Default 1000. */
  maxRuns?: number;
  /** The pipeline id: the workflow file path (default; `@ref` suffix dropped) or its name. */
  pipelineKey?: 'path' | 'name';
  /** Longest single wait for a rate limit to lift. Default 5 minutes; a longer one stops the ingest. */
  maxRateLimitWaitMs?: number;
  /** All rate-limit waits together. Default 15 minutes. */
  maxTotalRateLimitWaitMs?: number;
  /** Rate-limit answers tolerated for one request before stopping. Default 5. */
  maxRateLimitRetries?: number;
  /** `X-GitHub-Api-Version`; null sends none (old GitHub Enterprise Server). Default `2022-11-28`. */
  apiVersion?: string | null;
  /** Named in messages about the token (`the token in GITHUB_TOKEN was refused`). */
  tokenEnv?: string;
  /** Waits for rate limits (tests record them instead). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The clock for `x-ratelimit-reset` (tests fix it). */
  now?: () => number;
}

/** What an ingest read, returned by the generator when it ends normally. */
export interface GitHubActionsSummary {
  runs: number;
  jobs: number;
  requests: number;
  /** `maxRuns` stopped the listing while GitHub had more runs. */
  truncated: boolean;
  /** Time spent waiting for rate limits. */
  rateLimitWaitMs: number;
}

/** The token from the environment variable `name` (default `GITHUB_TOKEN`); undefined when unset or empty. */
export function tokenFromEnv(name: string = DEFAULT_TOKEN_ENV, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new TypeError(`not an environment variable name: ${JSON.stringify(name)}`);
  const value = env[name]?.trim();
  return value ? value : undefined;
}

// --- GitHub's shapes (only what is read; unknown keys are dropped) ---------------------------

const text = z.string().nullable().optional();

const stepSchema = z.object({
  name: z.string(),
  status: z.string().nullable().optional(),
  conclusion: text,
  number: z.number().int().optional(),
  started_at: text,
  completed_at: text,
});

const jobSchema = z.object({
  id: z.number(),
  run_id: z.number().optional(),
  run_attempt: z.number().int().positive().optional(),
  name: z.string(),
  status: z.string().nullable().optional(),
  conclusion: text,
  created_at: text,
  started_at: text,
  completed_at: text,
  head_sha: text,
  head_branch: text,
  html_url: text,
  steps: z.array(stepSchema).nullable().optional(),
});
type GitHubJob = z.infer<typeof jobSchema>;

const jobsPageSchema = z.object({ total_count: z.number().int().nonnegative(), jobs: z.array(jobSchema) });

const runSchema = z.object({
  id: z.number(),
  name: text,
  path: text,
  workflow_id: z.number().optional(),
  run_attempt: z.number().int().positive().optional(),
  event: text,
  status: z.string().nullable().optional(),
  conclusion: text,
  head_sha: text,
  head_branch: text,
  created_at: z.string(),
  run_started_at: text,
  updated_at: text,
  html_url: text,
});
type GitHubRun = z.infer<typeof runSchema>;

const runsPageSchema = z.object({ total_count: z.number().int().nonnegative(), workflow_runs: z.array(runSchema) });

// --- rate limits --------------------------------------------------------------------------------

/** A rate-limit answer, raised from inside the fetch so the HttpClient hands it over untouched. */
class RateLimitAnswer extends DatasourceError {
  constructor(
    host: string,
    message: string,
    /** How long GitHub asks us to wait, when it says. */
    readonly waitMs: number,
  ) {
    super('rate-limited', host, message);
  }
}

interface ResponseMeta {
  link: string | null;
  remaining: number | null;
  /** Epoch ms at which the primary limit resets. */
  resetAt: number | null;
}

/** The wrapper around fetch: remembers each response's headers by URL and classifies 403/429. */
function observingFetch(inner: typeof fetch, seen: Map<string, ResponseMeta>, now: () => number): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const meta: ResponseMeta = {
      link: response.headers.get('link'),
      remaining: intHeader(response.headers.get('x-ratelimit-remaining')),
      resetAt: epochHeader(response.headers.get('x-ratelimit-reset')),
    };
    seen.set(url.href, meta);
    if (response.status !== 403 && response.status !== 429) return response;

    const where = `${url.host}: rate limited (HTTP ${response.status}) for ${url.pathname}`;
    const retryAfter = retryAfterMs(response.headers.get('retry-after'), now());
    if (retryAfter !== undefined) {
      await response.body?.cancel().catch(() => undefined);
      throw new RateLimitAnswer(url.host, `${where}: secondary rate limit, retry after ${Math.ceil(retryAfter / 1000)} s`, retryAfter);
    }
    if (meta.remaining === 0 && meta.resetAt !== null) {
      await response.body?.cancel().catch(() => undefined);
      throw new RateLimitAnswer(url.host, `${where}: primary rate limit exhausted until ${new Date(meta.resetAt).toISOString()}`, Math.max(0, meta.resetAt - now()));
    }
    // A 403 is a rate limit only when GitHub says so; otherwise the HttpClient reports it as is.
    const body = await response.text().catch(() => '');
    if (response.status === 429 || /rate limit/i.test(body)) {
      // "Otherwise, wait for at least one minute before retrying" (GitHub's rate-limit guide).
      throw new RateLimitAnswer(url.host, `${where}: secondary rate limit`, 60_000);
    }
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function intHeader(value: string | null): number | null {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value);
}

function epochHeader(value: string | null): number | null {
  const seconds = intHeader(value);
  return seconds === null ? null : seconds * 1000;
}

/** The `rel="next"` target of a `Link` header, if any. */
export function nextLink(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (match && /(?:^|;)\s*rel\s*=\s*"?(?:[^";]*\s)?next(?:\s[^";]*)?"?\s*(?:;|$)/i.test(match[2] ?? '')) return match[1] ?? null;
  }
  return null;
}

// --- the source ---------------------------------------------------------------------------------

/**
 * Reads the workflow runs of `repo` (newest first), each with its jobs and steps, as records:
 * one run row per run (its latest attempt), one row per job (every attempt: `filter=all`) and one
 * per step. Runs not completed give their run row only (their jobs are not fetched).
 *
 * Records are yielded run by run, so whatever was yielded before an error is the consumer's to
 * keep: a rate limit that cannot be waited out raises `DatasourceError('rate-limited')` after the
 * runs already read. Returns a {@link GitHubActionsSummary}.
 */
export async function* githubActionsRecords(options: GitHubActionsOptions): AsyncGenerator<CiRecord, GitHubActionsSummary> {
  const source = new GitHubActionsSource(options);
  return yield* source.records();
}

const RUNS_PER_QUERY = 1000;

class GitHubActionsSource {
  readonly #owner: string;
  readonly #name: string;
  readonly #since: string | null;
  readonly #http: HttpClient;
  readonly #endpoint: ReturnType<HttpClient['endpoint']>;
  readonly #seen = new Map<string, ResponseMeta>();
  readonly #signal: AbortSignal;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly #now: () => number;
  readonly #maxRuns: number;
  readonly #pipelineKey: 'path' | 'name';
  readonly #maxWait: number;
  readonly #maxTotalWait: number;
  readonly #maxRetries: number;
  readonly #headers: Record<string, string>;
  readonly #tokenEnv: string | undefined;
  readonly #summary: GitHubActionsSummary = { runs: 0, jobs: 0, requests: 0, truncated: false, rateLimitWaitMs: 0 };
  /** The primary limit as the last response stated it. */
  #limit: { remaining: number | null; resetAt: number | null } = { remaining: null, resetAt: null };

  constructor(options: GitHubActionsOptions) {
    const repo = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(options.repo.trim());
    if (!repo || repo[2]?.endsWith('.git') || repo[1] === '.' || repo[1] === '..' || repo[2] === '.' || repo[2] === '..') {
      throw new TypeError(`expected a repository as OWNER/NAME: ${JSON.stringify(options.repo)}`);
    }
    this.#owner = repo[1] as string;
    this.#name = repo[2] as string;
    this.#since = options.since ? sinceQualifier(options.since) : null;
    this.#now = options.now ?? Date.now;
    this.#http = new HttpClient({ ...options.http, fetchImpl: observingFetch(options.http?.fetchImpl ?? globalThis.fetch, this.#seen, this.#now) });
    const token = options.token?.trim();
    // fetch would refuse it with a message quoting the header value: refuse it here, unquoted
    if (token && !/^[\x21-\x7e]+$/.test(token)) throw new TypeError('the token has characters an HTTP header cannot carry');
    this.#endpoint = this.#http.endpoint(options.baseUrl ?? GITHUB_API, token ? { Authorization: `Bearer ${token}` } : {});
    this.#signal = options.signal ?? new AbortController().signal;
    this.#sleep = options.sleep ?? sleep;
    this.#maxRuns = Math.max(1, Math.floor(options.maxRuns ?? 1000));
    this.#pipelineKey = options.pipelineKey ?? 'path';
    this.#maxWait = Math.max(0, options.maxRateLimitWaitMs ?? 5 * 60_000);
    this.#maxTotalWait = Math.max(0, options.maxTotalRateLimitWaitMs ?? 15 * 60_000);
    this.#maxRetries = Math.max(0, Math.floor(options.maxRateLimitRetries ?? 5));
    this.#tokenEnv = options.tokenEnv;
    const apiVersion = options.apiVersion === undefined ? '2022-11-28' : options.apiVersion;
    this.#headers = { Accept: 'application/vnd.github+json', ...(apiVersion ? { 'X-GitHub-Api-Version': apiVersion } : {}) };
  }

  get #repoPath(): string {
    return `${this.#endpoint.base}/repos/${encodeURIComponent(this.#owner)}/${encodeURIComponent(this.#name)}`;
  }

  async *records(): AsyncGenerator<CiRecord, GitHubActionsSummary> {
    const done = new Set<number>();
    let upper: string | null = null;
    for (;;) {
      let fresh = 0;
      let oldest: string | null = null;
      let fetched = 0;
      let total = 0;
      for await (const page of this.#pages(this.#runsUrl(upper), runsPageSchema, (p) => p.workflow_runs.length)) {
        total = page.total_count;
        for (const run of page.workflow_runs) {
          fetched++;
          if (oldest === null || run.created_at < oldest) oldest = run.created_at;
          if (done.has(run.id)) continue;
          if (done.size >= this.#maxRuns) {
            this.#summary.truncated = true;
            return this.#summary;
          }
          done.add(run.id);
          fresh++;
          yield* this.#runRecords(run);
        }
        if (fetched >= RUNS_PER_QUERY) break;
      }
      // More runs than one query may list: ask again for those created up to the oldest seen.
      if (fresh === 0 || total <= fetched || oldest === null || fetched < RUNS_PER_QUERY) return this.#summary;
      upper = oldest;
    }
  }

  #runsUrl(upper: string | null): string {
    let created: string | null = null;
    if (upper !== null) created = this.#since !== null ? `${this.#since}..${upper}` : `<=${upper}`;
    else if (this.#since !== null) created = `>=${this.#since}`;
    return `${this.#repoPath}/actions/runs?per_page=100${created === null ? '' : `&created=${encodeURIComponent(created)}`}&page=1`;
  }

  async *#runRecords(run: GitHubRun): AsyncGenerator<CiRecord> {
    const pipeline = this.#pipelineOf(run);
    const attempt = run.run_attempt ?? 1;
    const base = { pipeline, run: String(run.id), commit: run.head_sha ?? null, branch: run.head_branch ?? null };
    const status = githubStatus(run.status, run.conclusion);
    const runRow: CiRecord = {
      ...base,
      attempt,
      job: null,
      step: null,
      status,
      queuedAt: iso(run.created_at),
      startedAt: iso(run.run_started_at),
      finishedAt: status === 'in_progress' ? null : iso(run.updated_at),
      url: run.html_url ?? null,
    };
    if (status === 'in_progress') {
      yield runRow;
      this.#summary.runs++;
      return;
    }
    const jobs: GitHubJob[] = [];
    for await (const page of this.#pages(`${this.#repoPath}/actions/runs/${run.id}/jobs?filter=all&per_page=100&page=1`, jobsPageSchema, (p) => p.jobs.length)) {
      jobs.push(...page.jobs);
    }
    // The run ends with its last job of the latest attempt (`updated_at` moves on later edits).
    const ends = jobs.filter((job) => (job.run_attempt ?? attempt) === attempt).map((job) => iso(job.completed_at)).filter((end): end is string => end !== null);
    if (ends.length > 0) runRow.finishedAt = ends.reduce((a, b) => (a > b ? a : b));
    yield runRow;
    for (const job of jobs) {
      this.#summary.jobs++;
      const jobStatus = githubStatus(job.status, job.conclusion);
      const row = {
        ...base,
        attempt: job.run_attempt ?? attempt,
        job: job.name,
        commit: job.head_sha ?? base.commit,
        branch: job.head_branch ?? base.branch,
        queuedAt: iso(job.created_at),
        url: job.html_url ?? null,
      };
      yield { ...row, step: null, status: jobStatus, startedAt: jobStart(job), finishedAt: jobStatus === 'in_progress' ? null : iso(job.completed_at) };
      for (const step of job.steps ?? []) {
        const stepStatus = githubStatus(step.status, step.conclusion);
        yield { ...row, step: step.name, status: stepStatus, startedAt: iso(step.started_at), finishedAt: stepStatus === 'in_progress' ? null : iso(step.completed_at) };
      }
    }
    this.#summary.runs++;
  }

  #pipelineOf(run: GitHubRun): string {
    // `.github/workflows/build.yml@refs/pull/1/merge`: the ref is not part of the workflow's identity
    const path = run.path ? run.path.replace(/@.*$/, '') : '';
    const name = run.name?.trim() ?? '';
    if (this.#pipelineKey === 'name') return name || path || `workflow ${run.workflow_id ?? 'unknown'}`;
    return path || name || `workflow ${run.workflow_id ?? 'unknown'}`;
  }

  /** The pages of a paged list, from `first` (which asks for page=1). */
  async *#pages<T>(first: string, schema: z.ZodType<T>, count: (page: T) => number): AsyncGenerator<T & { total_count: number }> {
    let url: string | null = first;
    let page = 1;
    let items = 0;
    const pages = new Set<string>();
    while (url !== null) {
      if (pages.has(url)) return; // a Link loop
      pages.add(url);
      const { body, meta } = await this.#get(url, schema as z.ZodType<T & { total_count: number }>);
      yield body;
      const n = count(body);
      items += n;
      if (n === 0) return;
      const next = nextLink(meta?.link ?? null);
      if (next !== null) {
        url = sameOrigin(next, this.#endpoint.base) ? next : null;
        if (url === null) throw new DatasourceError('malformed', this.#endpoint.host, `${this.#endpoint.host}: a next page on another origin was refused`);
      } else if ((meta?.link ?? null) === null && items < body.total_count) {
        page++;
        url = first.replace(/([?&])page=1$/, `$1page=${page}`);
      } else {
        url = null;
      }
    }
  }

  /** One GET, validated, with GitHub's rate limits waited out when allowed. */
  async #get<T>(url: string, schema: z.ZodType<T>): Promise<{ body: T; meta: ResponseMeta | undefined }> {
    const key = new URL(url).href;
    for (let answers = 0; ; answers++) {
      await this.#respectPrimaryLimit(url);
      this.#summary.requests++;
      try {
        const body = await this.#http.getJson(url, schema, { signal: this.#signal, headers: { ...this.#headers, ...this.#endpoint.headersFor(url) } });
        const meta = this.#seen.get(key);
        this.#seen.delete(key);
        if (meta) this.#limit = { remaining: meta.remaining, resetAt: meta.resetAt };
        if (body === null) throw this.#notFound(url);
        return { body, meta };
      } catch (error) {
        const meta = this.#seen.get(key);
        this.#seen.delete(key);
        if (meta) this.#limit = { remaining: meta.remaining, resetAt: meta.resetAt };
        if (!(error instanceof DatasourceError)) throw error;
        if (error instanceof RateLimitAnswer) {
          if (answers >= this.#maxRetries) throw this.#stop(`${error.message}; gave up after ${answers + 1} rate-limited answers`);
          await this.#wait(error.waitMs, error.message);
          continue;
        }
        throw this.#explain(error, url);
      }
    }
  }

  /** Waits before a request when the last answer said the primary limit is spent. */
  async #respectPrimaryLimit(url: string): Promise<void> {
    const { remaining, resetAt } = this.#limit;
    if (remaining !== 0 || resetAt === null) return;
    const waitMs = resetAt - this.#now();
    if (waitMs > 0) await this.#wait(waitMs, `${this.#endpoint.host}: primary rate limit exhausted until ${new Date(resetAt).toISOString()} (before ${new URL(url).pathname})`);
    else this.#limit = { remaining: null, resetAt: null };
  }

  async #wait(waitMs: number, reason: string): Promise<void> {
    const ms = Math.ceil(waitMs) + 1000; // a second past the reset: GitHub's clock is in whole seconds
    if (ms > this.#maxWait || this.#summary.rateLimitWaitMs + ms > this.#maxTotalWait) {
      throw this.#stop(`${reason}; waiting ${Math.ceil(ms / 1000)} s is more than allowed`);
    }
    this.#summary.rateLimitWaitMs += ms;
    await this.#sleep(ms, this.#signal);
    this.#limit = { remaining: null, resetAt: null }; // waited out: the next answer says afresh
  }

  #stop(message: string): DatasourceError {
    return new DatasourceError('rate-limited', this.#endpoint.host, `${message} (stopped after ${this.#summary.runs} runs)`);
  }

  #notFound(url: string): DatasourceError {
    const where = new URL(url).pathname;
    return new DatasourceError(
      'unavailable',
      this.#endpoint.host,
      `${this.#endpoint.host}: HTTP 404 for ${where}: no repository ${this.#owner}/${this.#name} there, or the token cannot see it${this.#tokenHint()}`,
    );
  }

  /** A clearer message for a refused token (the HttpClient's own has already been redacted). */
  #explain(error: DatasourceError, url: string): DatasourceError {
    const status = /HTTP (\d{3})/.exec(error.message)?.[1];
    if (status === '401') {
      const where = new URL(url).pathname;
      return new DatasourceError(error.code, error.host, `${error.host}: HTTP 401 for ${where}: the token was refused (bad or expired)${this.#tokenHint()}`, { cause: error });
    }
    if (status === '403') {
      return new DatasourceError(error.code, error.host, `${error.message.replace(/ \(check the credentials[^)]*\)/, '')}: the token lacks access (needs actions:read)${this.#tokenHint()}`, {
        cause: error,
      });
    }
    return error;
  }

  #tokenHint(): string {
    return this.#tokenEnv ? ` (token from ${this.#tokenEnv})` : '';
  }
}

/** `--since` as a `created` qualifier value: a date or an ISO timestamp, refused otherwise. */
function sinceQualifier(since: string): string {
  const value = since.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)) return value;
  } else {
    const normalised = normaliseTimestamp(value);
    if (normalised !== undefined) return normalised.replace(/\.000Z$/, 'Z');
  }
  throw new TypeError(`expected --since as YYYY-MM-DD or an ISO 8601 timestamp: ${JSON.stringify(since)}`);
}

/**
 * When the job really started: its `started_at`, or its first step's start when that is later.
 * A job's `started_at` has been seen set to its enqueue time while it still waited for a runner;
 * the first step ("Set up job") starts when a runner has it.
 */
function jobStart(job: GitHubJob): string | null {
  const started = iso(job.started_at);
  let first: string | null = null;
  for (const step of job.steps ?? []) {
    const at = iso(step.started_at);
    if (at !== null && (first === null || at < first)) first = at;
  }
  if (started === null) return first;
  return first !== null && first > started ? first : started;
}

function iso(value: string | null | undefined): string | null {
  if (!value) return null;
  return normaliseTimestamp(value) ?? null;
}

function sameOrigin(target: string, base: string): boolean {
  try {
    return new URL(target).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
