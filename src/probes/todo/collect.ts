/**
 * Finds the files of a repository worth scanning and scans them, on worker threads when the tree
 * is large enough to pay for their start-up (about 30 ms each).
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import picomatch from 'picomatch';
import type { ProbeError } from '../../core/model.js';
import type { ProgressFn } from '../../core/probe.js';
import { CommandNotFoundError, gitListFiles, isGitWorkTree, type GitFile } from '../../util/git.js';
import { walkFiles } from '../../util/walk.js';
import { DEFAULT_EXCLUDES, type TodoConfig } from './config.js';
import { emptyBatch, mergeBatch, scanBatch, type BatchResult } from './scan-batch.js';

/** Below this many files the scan stays on the main thread. */
const WORKER_THRESHOLD = 3000;
/** Paths per message to a worker: big enough to amortise messaging, small enough to balance load. */
const BATCH_SIZE = 200;

export interface Collected extends BatchResult {
  source: 'git' | 'filesystem';
  /** Files listed after excludes. */
  listed: number;
  excluded: number;
  /** Paths git tracks, with their index blob; empty outside git. */
  tracked: Map<string, string | undefined>;
  gitMissing: boolean;
}

export async function collectMarkers(
  root: string,
  config: TodoConfig,
  options: { signal: AbortSignal; progress: ProgressFn },
): Promise<Collected> {
  const listing = await listFiles(root, options.signal);
  const excludes = [...(config.defaultExcludes ? DEFAULT_EXCLUDES : []), ...config.exclude];
  const isExcluded = excludes.length > 0 ? picomatch(excludes, { dot: true }) : () => false;
  const paths: string[] = [];
  let excluded = 0;
  for (const file of listing.files) {
    if (isExcluded(file.path)) excluded++;
    else paths.push(file.path);
  }
  options.progress(`scanning ${paths.length} files`, { done: 0, total: paths.length });

  const batchOptions = { tags: config.tags, maxFileSize: config.maxFileSize };
  const workers = workerCount(config.workers, paths.length);
  const result = workers > 1 ? await scanOnWorkers(root, paths, batchOptions, workers, options) : scanInProcess(root, paths, batchOptions, options);

  const tracked = new Map<string, string | undefined>();
  if (listing.source === 'git') for (const file of listing.files) if (file.blob !== undefined) tracked.set(file.path, file.blob);
  return {
    ...result,
    errors: [...listing.errors, ...result.errors],
    source: listing.source,
    listed: paths.length,
    excluded,
    tracked,
    gitMissing: listing.gitMissing,
  };
}

async function listFiles(
  root: string,
  signal: AbortSignal,
): Promise<{ files: GitFile[]; source: 'git' | 'filesystem'; gitMissing: boolean; errors: ProbeError[] }> {
  let gitMissing = false;
  try {
    if (await isGitWorkTree(root, signal)) return { files: await gitListFiles(root, signal), source: 'git', gitMissing, errors: [] };
  } catch (error) {
    if (!(error instanceof CommandNotFoundError)) throw error;
    gitMissing = true;
  }
  const errors: ProbeError[] = [];
  const files = walkFiles(root, {
    signal,
    onError: (path, error) => errors.push({ path, message: `cannot list ${path}: ${error.message}` }),
  }).map((path) => ({ path }));
  return { files, source: 'filesystem', gitMissing, errors };
}

function workerCount(configured: number, files: number): number {
  if (configured > 0) return configured;
  // Workers only exist as compiled JavaScript; under a TypeScript test runner scan in-process.
  if (import.meta.url.endsWith('.ts')) return 1;
  if (files < WORKER_THRESHOLD) return 1;
  return Math.max(1, Math.min(availableParallelism(), 8, Math.ceil(files / WORKER_THRESHOLD)));
}

function scanInProcess(
  root: string,
  paths: readonly string[],
  batchOptions: { tags: readonly string[]; maxFileSize: number },
  options: { signal: AbortSignal; progress: ProgressFn },
): BatchResult {
  const total = emptyBatch();
  for (let start = 0; start < paths.length; start += BATCH_SIZE) {
    options.signal.throwIfAborted();
    mergeBatch(total, scanBatch(root, paths.slice(start, start + BATCH_SIZE), batchOptions));
    options.progress('scanning', { done: Math.min(paths.length, start + BATCH_SIZE), total: paths.length });
  }
  return total;
}

async function scanOnWorkers(
  root: string,
  paths: readonly string[],
  batchOptions: { tags: readonly string[]; maxFileSize: number },
  count: number,
  options: { signal: AbortSignal; progress: ProgressFn },
): Promise<BatchResult> {
  const workerUrl = new URL('./scan-worker.js', import.meta.url);
  const total = emptyBatch();
  let next = 0;
  let done = 0;
  const pool = Array.from({ length: count }, () => new Worker(fileURLToPath(workerUrl), { workerData: { root, ...batchOptions } }));
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let id = 0;
            const feed = () => {
              if (options.signal.aborted) return reject(options.signal.reason);
              if (next >= paths.length) return resolve();
              const batch = paths.slice(next, next + BATCH_SIZE);
              next += batch.length;
              worker.postMessage({ id: ++id, paths: batch });
            };
            worker.on('message', (message: { result: BatchResult }) => {
              mergeBatch(total, message.result);
              done += message.result.scanned + Object.values(message.result.skipped).reduce((a, b) => a + b, 0) + message.result.errors.length;
              options.progress('scanning', { done, total: paths.length });
              feed();
            });
            worker.once('error', reject);
            worker.once('exit', (code) => {
              if (code !== 0) reject(new Error(`todo scan worker exited with code ${code}`));
            });
            options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true });
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  // Workers finish in any order; keep the result independent of scheduling.
  total.found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return total;
}
