/**
 * For the server's tests: a fake scheduler (the real one is tested on its own), a server on a free
 * port of 127.0.0.1 over a given store, and raw HTTP requests (node:http, so that any header —
 * Host, Origin — can be sent as a browser or an attacker would).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { defaultConfig, type ResolvedConfig } from '../../config/load.js';
import { allProbes } from '../../probes/registry.js';
import type { Store } from '../../store/store.js';
import type { ObserveNowResult, ScheduleState, SchedulerHandle } from '../scheduler-contract.js';
import { startServer, type RunningServer, type ServerOptions } from '../server.js';

export interface FakeScheduler extends SchedulerHandle {
  /** Systems "observe now" was asked for, in order. */
  readonly observed: string[];
  stopped: boolean;
  /** What observeNow answers next for a system (default: queued for known systems). */
  answers: Map<string, ObserveNowResult>;
}

export function scheduleState(system: string, overrides: Partial<ScheduleState> = {}): ScheduleState {
  return {
    system,
    cron: '0 6 * * *',
    timezone: 'UTC',
    nextRunAt: '2026-03-02T06:00:00.000Z',
    lastRunAt: '2026-03-01T06:00:00.000Z',
    lastDurationMs: 4200,
    lastStatus: 'complete',
    running: false,
    runs: { complete: 3, partial: 1, failed: 0, error: 0 },
    failures: 0,
    ...overrides,
  };
}

export function fakeScheduler(states: ScheduleState[]): FakeScheduler {
  const observed: string[] = [];
  const answers = new Map<string, ObserveNowResult>();
  const fake: FakeScheduler = {
    observed,
    stopped: false,
    answers,
    states: () => states.map((state) => ({ ...state })),
    state: (system) => states.find((state) => state.system === system),
    observeNow(system) {
      const answer = answers.get(system) ?? (states.some((state) => state.system === system) ? { queued: true } : { queued: false, reason: 'unknown-system' });
      if (answer.queued) observed.push(system);
      return answer;
    },
    async stop() {
      fake.stopped = true;
    },
  };
  return fake;
}

/** A configuration without a file whose systems are these names (no sources: nothing to observe). */
export function configWithSystems(cwd: string, names: readonly string[]): ResolvedConfig {
  const config = defaultConfig(cwd, allProbes);
  return { ...config, systems: names.map((name) => ({ ...config.systemFor(name, cwd), name, sources: {} })) };
}

export type TestServerOptions = Partial<ServerOptions> & { store: Store };

export async function startTestServer(options: TestServerOptions): Promise<RunningServer> {
  return startServer({
    scheduler: null,
    config: configWithSystems(process.cwd(), []),
    cwd: process.cwd(),
    host: '127.0.0.1',
    port: 0,
    token: null,
    dashboardDir: '/nonexistent/prodeng-dashboard',
    version: '0.0.0-test',
    eolData: { source: 'endoflife.date', asOf: '2026-01-01' },
    ...options,
  });
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** For https: the CA to trust. */
  ca?: string;
}

/** One request exactly as given (no automatic Origin, Host from the URL unless set). */
export function raw(url: string, options: RawRequest = {}): Promise<RawResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: options.method ?? 'GET',
        headers: { ...(options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }), ...options.headers },
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
