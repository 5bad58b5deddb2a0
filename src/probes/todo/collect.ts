/**
 * Finds the files of a repository worth scanning and scans them, on worker threads when the tree
 * is large enough to pay for their start-up (about 30 ms each).
 *
 * Listing and scanning overlap: git lists tracked files in a few milliseconds but needs a walk of
 * the whole work tree for untracked ones, so the scan of tracked files starts while that walk is
 * still going.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import picomatch from 'picomatch';
import type { ProbeError } from '../../core/model.js';
import type { ProgressFn } from '../../core/probe.js';
import { CommandNotFoundError, gitListTracked, gitListUntracked, gitWorkTree, readTrackedFromIndex, type GitFile } from '../../util/git.js';
import { walkFiles } from '../../util/walk.js';
import { DEFAULT_EXCLUDES, type TodoConfig } from './config.js';
import { emptyBatch, mergeBatch, scanBatch, type Batch, type BatchAnswer, type BatchOptions, type BatchResult } from './scan-batch.js';
import { cacheKey, ScanCache, writeStamp } from './scan-cache.js';

/** Below this many files the scan stays on the main thread. */
const WORKER_THRESHOLD = 3000;
/** Paths per message to a worker: big enough to amortise messaging, small enough to balance load. */
const BATCH_SIZE = 300;

export interface Collected extends BatchResult {
  source: 'git' | 'filesystem';
  /** Files listed after excludes. */
  listed: number;
  excluded: number;
  /** Files git tracks, with their index blob; empty outside git. */
  tracked: Map<string, GitFile>;
  gitMissing: boolean;
  /** Files whose earlier answer was reused without reading them (see scan-cache.ts). */
  fromCache: number;
}

interface Options {
  signal: AbortSignal;
  progress: ProgressFn;
  /** Where the scan cache lives; no cache without it. */
  cacheDir?: string;
}

/**
 * Turns paths into batches with what the scan cache knows of them, and answers back into results:
 * files the workers found unchanged get their cached outcome, fresh outcomes go into the cache.
 */
class CacheBridge {
  fromCache = 0;

  constructor(
    private readonly cache: ScanCache | undefined,
    /** Tracked files; those with a stamp git's index vouches for can use the cache. */
    private readonly tracked: ReadonlyMap<string, GitFile>,
    private readonly blobIds: boolean,
  ) {}

  prepare({ paths, start }: { paths: string[]; start: number }): { batch: Batch; start: number; entries: Int32Array | undefined } {
    if (!this.cache) return { batch: { paths }, start, entries: undefined };
    const stamps = new Float64Array(paths.length * 6);
    const verify = new Uint8Array(paths.length);
    const entries = new Int32Array(paths.length);
    for (let i = 0; i < paths.length; i++) {
      const file = this.tracked.get(paths[i]!);
      if (file?.stamp === undefined) continue;
      writeStamp(stamps, i * 6, file.stamp);
      const entry = this.cache.lookup(file.path, file.blob!, file.stamp);
      entries[i] = entry;
      if (entry >= 0) verify[i] = 1;
    }
    return { batch: { paths, stamps, verify }, start, entries };
  }

  settle({ batch, start, entries }: ReturnType<CacheBridge['prepare']>, answer: BatchAnswer): BatchResult {
    const { hits, fresh, ...result } = answer;
    const cache = this.cache;
    if (!cache || !entries) return result;
    this.fromCache += hits.length;
    for (const i of hits) {
      const entry = entries[i]!;
      cache.keep(start + i, entry);
      const outcome = cache.outcome(entry);
      if (outcome === 0) {
        result.scanned++;
        result.bytes += cache.sizeOf(entry);
      } else if (typeof outcome === 'object') {
        result.scanned++;
        result.bytes += cache.sizeOf(entry);
        const path = batch.paths[i]!;
        result.found.push({ path, language: outcome.l, markers: outcome.m, ...(this.blobIds ? { blob: this.tracked.get(path)!.blob! } : {}) });
      } else {
        result.skipped[outcome] = (result.skipped[outcome] ?? 0) + 1;
        if (outcome !== 'too-large') result.bytes += cache.sizeOf(entry);
      }
    }
    for (const [i, outcome] of fresh) {
      const path = batch.paths[i]!;
      cache.record(start + i, path, this.tracked.get(path)!.blob!, batch.stamps!, i * 6, outcome);
    }
    return result;
  }

  save(): void {
    this.cache?.save();
  }
}

/** Paths waiting to be scanned; producers push while consumers take batches. */
class PathQueue {
  private readonly paths: string[] = [];
  private head = 0;
  private closed = false;
  private waiters: Array<() => void> = [];
  total = 0;

  push(paths: readonly string[]): void {
    // One by one: spreading a large list into push() overflows the stack (~120k arguments).
    for (const path of paths) this.paths.push(path);
    this.total += paths.length;
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  get pending(): number {
    return this.paths.length - this.head;
  }

  /**
   * The next batch and the position of its first path in the whole scan, waiting for more paths
   * if needed; null once closed and drained.
   */
  async take(size: number): Promise<{ paths: string[]; start: number } | null> {
    while (this.pending === 0 && !this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.pending === 0) return null;
    const start = this.head;
    const paths = this.paths.slice(start, start + size);
    this.head += paths.length;
    return { paths, start };
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

export async function collectMarkers(root: string, config: TodoConfig, options: Options): Promise<Collected> {
  const excludes = [...(config.defaultExcludes ? DEFAULT_EXCLUDES : []), ...config.exclude];
  const isExcluded = excludes.length > 0 ? picomatch(excludes, { dot: true }) : () => false;
  const queue = new PathQueue();
  let excluded = 0;
  const enqueue = (paths: readonly string[]) => {
    const kept = paths.filter((path) => !isExcluded(path));
    excluded += paths.length - kept.length;
    queue.push(kept);
  };

  const tracked = new Map<string, GitFile>();
  const errors: ProbeError[] = [];
  const quiet = <T>(promise: Promise<T>) => {
    promise.catch(() => undefined); // awaited below; an early rejection must not go unhandled
    return promise;
  };
  let gitMissing = false;
  const whenGitMissing = (error: unknown): null => {
    if (!(error instanceof CommandNotFoundError)) throw error;
    gitMissing = true;
    return null;
  };

  // Worker threads take 30-150 ms to start. At the top of a work tree the size of git's index
  // promises how large the tree is: a large one gets its workers before the index is even read.
  const indexFile = join(root, '.git', 'index');
  const promised = existsSync(indexFile) ? estimateTrackedFiles(indexFile) : 0;
  const early = workerCount(config.workers, promised);
  let pool: WorkerPool | undefined =
    early > 1 ? new WorkerPool(root, { tags: config.tags, maxFileSize: config.maxFileSize, blobIds: config.blame }, early) : undefined;
  try {
    // At the top of a work tree the index is read directly: no process to start, and the scan can
    // begin at once. Elsewhere git answers whether this is a work tree and what it tracks.
    const fromIndex = readTrackedFromIndex(root);
    const workTree =
      fromIndex !== null ? Promise.resolve(true) : quiet(gitWorkTree(root, options.signal).then((tree) => tree !== null, whenGitMissing));
    const trackedListing = quiet(fromIndex !== null ? Promise.resolve(fromIndex) : gitListTracked(root, options.signal));
    const source: 'git' | 'filesystem' = (await workTree) ? 'git' : 'filesystem';
    const batchOptions: BatchOptions = { tags: config.tags, maxFileSize: config.maxFileSize, blobIds: config.blame && source === 'git' };
    if (pool && source !== 'git') {
      // A .git/index without a work tree around it (rare): start over with the right options.
      await pool.close();
      pool = undefined;
    }
    let rest: Promise<void> = Promise.resolve();
    let bridge = new CacheBridge(undefined, tracked, batchOptions.blobIds);
    if (source === 'git') {
      // Untracked files need a walk of the whole work tree by git: started first, it runs while
      // the tracked files are scanned (and starting a process is cheapest while our heap is small).
      const untracked = quiet(gitListUntracked(root, options.signal));
      const listing = await trackedListing;
      for (const file of listing) tracked.set(file.path, file);
      // Only git's own records make a cached answer trustworthy: without them, no cache.
      if (config.cache && options.cacheDir !== undefined && listing.some((file) => file.stamp !== undefined)) {
        const cache = ScanCache.load(options.cacheDir, root, cacheKey(batchOptions));
        bridge = new CacheBridge(cache, tracked, batchOptions.blobIds);
      }
      enqueue([...tracked.keys()]);
      rest = untracked.then(
        (paths) => enqueue(paths.filter((path) => !tracked.has(path))),
        (error) => void whenGitMissing(error),
      );
    } else {
      enqueue(
        walkFiles(root, {
          signal: options.signal,
          onError: (path, error) => errors.push({ path, message: `cannot list ${path}: ${error.message}` }),
        }),
      );
    }
    // The queue closes when the untracked listing has arrived (or failed: then the scan stops too).
    const listed = rest.finally(() => queue.close());

    const workers = workerCount(config.workers, queue.pending);
    if (workers <= 1 && pool) {
      await pool.close();
      pool = undefined;
    } else if (workers > 1 && !pool) {
      pool = new WorkerPool(root, batchOptions, workers);
    }
    const scanning = pool ? pool.scan(queue, bridge, options) : scanInProcess(root, queue, bridge, batchOptions, options);
    const [result] = await Promise.all([scanning, listed]);
    bridge.save();
    // Batches finish in any order; keep the result independent of scheduling.
    result.found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return {
      ...result,
      errors: [...errors, ...result.errors],
      source,
      listed: queue.total,
      excluded,
      tracked,
      gitMissing,
      fromCache: bridge.fromCache,
    };
  } finally {
    await pool?.close();
  }
}

/** About how many files an index of this size lists (an entry is ~100 bytes with its path). */
function estimateTrackedFiles(index: string): number {
  try {
    return Math.floor(statSync(index).size / 100);
  } catch {
    return 0;
  }
}

function workerCount(configured: number, files: number): number {
  if (configured > 0) return configured;
  // Workers only exist as compiled JavaScript; under a TypeScript test runner scan in-process.
  if (import.meta.url.endsWith('.ts')) return 1;
  if (files < WORKER_THRESHOLD) return 1;
  return Math.max(1, Math.min(availableParallelism(), 8, Math.ceil(files / WORKER_THRESHOLD)));
}

/**
 * The worker script sits beside this module in dist/probes/todo, but this code may also run from
 * the single-file bundle in dist/bundle (which the CLI loads for a fast start).
 */
function scanWorkerUrl(): URL {
  const beside = new URL('./scan-worker.js', import.meta.url);
  return existsSync(beside) ? beside : new URL('../probes/todo/scan-worker.js', import.meta.url);
}

async function scanInProcess(root: string, queue: PathQueue, bridge: CacheBridge, batchOptions: BatchOptions, options: Options): Promise<BatchResult> {
  const total = emptyBatch();
  let done = 0;
  for (let taken = await queue.take(BATCH_SIZE); taken !== null; taken = await queue.take(BATCH_SIZE)) {
    options.signal.throwIfAborted();
    const prepared = bridge.prepare(taken);
    mergeBatch(total, bridge.settle(prepared, scanBatch(root, prepared.batch, batchOptions)));
    done += taken.paths.length;
    options.progress('scanning', { done, total: queue.total });
  }
  return total;
}

class WorkerPool {
  private readonly workers: Worker[];

  constructor(root: string, batchOptions: BatchOptions, count: number) {
    const path = fileURLToPath(scanWorkerUrl());
    this.workers = Array.from(
      { length: count },
      // A larger young generation: the scan makes many short-lived strings (one per file).
      () => new Worker(path, { workerData: { root, ...batchOptions }, resourceLimits: { maxYoungGenerationSizeMb: 48 } }),
    );
  }

  async scan(queue: PathQueue, bridge: CacheBridge, options: Options): Promise<BatchResult> {
    const total = emptyBatch();
    let done = 0;
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            // A worker answers its batches in the order it got them.
            const sent: Array<ReturnType<CacheBridge['prepare']>> = [];
            const feed = () => {
              if (options.signal.aborted) return reject(options.signal.reason);
              inFlight++;
              queue.take(BATCH_SIZE).then((taken) => {
                if (taken === null) {
                  if (--inFlight === 0) resolve();
                  return;
                }
                const prepared = bridge.prepare(taken);
                sent.push(prepared);
                worker.postMessage(prepared.batch);
              }, reject);
            };
            worker.on('message', (answer: BatchAnswer) => {
              inFlight--;
              const prepared = sent.shift()!;
              mergeBatch(total, bridge.settle(prepared, answer));
              done += prepared.batch.paths.length;
              options.progress('scanning', { done, total: queue.total });
              feed();
            });
            worker.once('error', reject);
            worker.once('exit', (code) => {
              if (code !== 0) reject(new Error(`todo scan worker exited with code ${code}`));
            });
            options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true });
            // Two batches in flight per worker, so it never waits for the main thread between them.
            feed();
            feed();
          }),
      ),
    );
    return total;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
