/**
 * Finds the files of a repository worth scanning and scans them: on the main thread, joined by
 * worker threads when the tree is large enough to pay for their start-up (50-150 ms each). The
 * main thread scans too: once it has listed the files it has nothing else to do but feed the
 * workers, and it needs no start-up.
 *
 * Listing and scanning overlap: at the top of a work tree git's index is read in chunks, and the
 * workers get the first files while the rest is read (and while they are still starting, the
 * main thread reads); git needs a walk of the whole work tree for untracked files, so the scan of
 * tracked files goes on while that walk does.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import picomatch from 'picomatch';
import type { ProbeError } from '../../core/model.js';
import type { ProgressFn } from '../../core/probe.js';
import { CommandNotFoundError, gitListTracked, gitListUntracked, gitWorkTree, readTrackedChunksFromIndex, type GitFile } from '../../util/git.js';
import { walkFiles } from '../../util/walk.js';
import { DEFAULT_EXCLUDES, type TodoConfig } from './config.js';
import { emptyBatch, mergeBatch, scanBatch, type Batch, type BatchAnswer, type BatchOptions, type BatchResult, type FileMarkers } from './scan-batch.js';
import { cacheKey, ScanCache, writeStamp } from './scan-cache.js';

/** Below this many files the scan stays on the main thread. */
const WORKER_THRESHOLD = 3000;
/** Paths per message to a worker: big enough to amortise messaging, small enough to balance load. */
const BATCH_SIZE = 300;
/**
 * Files per batch on the main thread while workers scan too: few, so that it answers the workers
 * (whose next batches it prepares) within a few milliseconds, and so does the rest of the process.
 */
const MAIN_BATCH_SIZE = 32;
/**
 * Larger files (by git's index) the main thread leaves to the workers: reading and lexing one
 * could keep it from feeding them for tens of milliseconds.
 */
const MAIN_FILE_LIMIT = 512 * 1024;
/** Large files per message to a worker: one, so that none waits behind another's lexing. */
const LARGE_BATCH_SIZE = 1;
/** Batches sent to a worker ahead of its answers. */
const IN_FLIGHT = 3;

export interface Collected extends BatchResult {
  source: 'git' | 'filesystem';
  /** Files listed after excludes. */
  listed: number;
  excluded: number;
  gitMissing: boolean;
  /** Files whose earlier answer was reused without reading them (see scan-cache.ts). */
  fromCache: number;
}

interface Options {
  signal: AbortSignal;
  progress: ProgressFn;
  /** Where the scan cache lives; no cache without it. */
  cacheDir?: string;
  /** Entries of git's index read at a time (tests make it small). */
  indexChunkSize?: number;
}

/** Files taken from the queue, with their positions in the whole scan (the cache's order). */
interface Taken {
  files: GitFile[];
  positions: number[];
}

/** Files taken from the queue, as sent to a thread, with what the cache made of them. */
interface Prepared {
  batch: Batch;
  files: readonly GitFile[];
  positions: readonly number[];
  /** The cache entry of each file, -1 for none; undefined without a cache. */
  entries: Int32Array | undefined;
}

/**
 * Turns files into batches with what the scan cache knows of them, and answers back into results:
 * files the workers found unchanged get their cached outcome, fresh outcomes go into the cache.
 */
class CacheBridge {
  fromCache = 0;

  constructor(
    private readonly cache: ScanCache | undefined,
    private readonly blobIds: boolean,
  ) {}

  prepare({ files, positions }: Taken): Prepared {
    const paths = files.map((file) => file.path);
    if (!this.cache) return { batch: { paths }, files, positions, entries: undefined };
    const stamps = new Float64Array(files.length * 6);
    const verify = new Uint8Array(files.length);
    const entries = new Int32Array(files.length);
    for (let i = 0; i < files.length; i++) {
      // Only a stamp git's index vouches for can make a cached answer hold.
      const file = files[i]!;
      entries[i] = -1;
      // Read once: an index entry makes its stamp and blob id from the index's bytes when asked.
      const stamp = file.stamp;
      if (stamp === undefined) continue;
      writeStamp(stamps, i * 6, stamp);
      const entry = this.cache.lookup(file.path, file.blob!, stamp);
      entries[i] = entry;
      if (entry >= 0) verify[i] = 1;
    }
    return { batch: { paths, stamps, verify }, files, positions, entries };
  }

  settle({ batch, files, positions, entries }: Prepared, answer: BatchAnswer): BatchResult {
    const { hits, fresh, ...result } = answer;
    // What the listing said of each file with markers (a batch holds few of those).
    for (const found of result.found) {
      const blob = files.find((file) => file.path === found.path)?.blob;
      if (blob !== undefined) found.indexBlob = blob;
    }
    const cache = this.cache;
    if (!cache || !entries) return result;
    this.fromCache += hits.length;
    for (const i of hits) {
      const entry = entries[i]!;
      cache.keep(positions[i]!, entry);
      const outcome = cache.outcome(entry);
      if (outcome === 0) {
        result.scanned++;
        result.bytes += cache.sizeOf(entry);
      } else if (typeof outcome === 'object') {
        result.scanned++;
        result.bytes += cache.sizeOf(entry);
        const { path, blob } = files[i]!;
        result.found.push({ path, language: outcome.l, markers: outcome.m, indexBlob: blob!, ...(this.blobIds ? { blob: blob! } : {}) });
      } else {
        result.skipped[outcome] = (result.skipped[outcome] ?? 0) + 1;
        if (outcome !== 'too-large') result.bytes += cache.sizeOf(entry);
      }
    }
    for (const [i, outcome] of fresh) cache.record(positions[i]!, files[i]!.path, files[i]!.blob!, batch.stamps!, i * 6, outcome);
    return result;
  }

  save(): void {
    this.cache?.save();
  }
}

/** Files waiting to be scanned; producers push while consumers take batches. */
class FileQueue {
  private readonly files: GitFile[] = [];
  private head = 0;
  /** Each file's position in the whole scan (the scan cache's order). */
  private readonly positions: number[] = [];
  /** Large files, for the workers (see routeLarge and MAIN_FILE_LIMIT). */
  private readonly large: GitFile[] = [];
  private readonly largePositions: number[] = [];
  private closed = false;
  private waiters: Array<() => void> = [];
  total = 0;
  /**
   * Set while workers scan: files git's index says are large go straight to the workers, which
   * start on them as soon as they are listed rather than meeting the largest at the very end.
   */
  routeLarge = false;

  push(files: readonly GitFile[]): void {
    // One by one: spreading a large list into push() overflows the stack (~120k arguments).
    for (const file of files) {
      const position = this.total++;
      if (this.routeLarge && (file.size ?? 0) > MAIN_FILE_LIMIT) {
        this.large.push(file);
        this.largePositions.push(position);
      } else {
        this.files.push(file);
        this.positions.push(position);
      }
    }
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  /** Drops what is waiting and closes: every thread's next take() answers null. */
  cancel(): void {
    this.head = this.files.length;
    this.large.length = 0;
    this.largePositions.length = 0;
    this.close();
  }

  get pending(): number {
    return this.files.length - this.head + this.large.length;
  }

  /**
   * How many files a worker should take now: full batches while the listing goes on, then
   * shrinking with what is left, so that all threads finish together rather than one thread
   * working through its last large batches alone ("guided" scheduling).
   */
  batchSize(threads: number): number {
    if (!this.closed) return BATCH_SIZE;
    return Math.min(BATCH_SIZE, Math.max(MAIN_BATCH_SIZE, Math.ceil(this.pending / (4 * threads))));
  }

  /**
   * The next batch, waiting for more files if needed; null once closed and drained. A worker gets
   * the large files first (see routeLarge), one at a time; the main thread only once nothing else
   * is left.
   */
  async take(size: number, taker: 'main' | 'worker'): Promise<Taken | null> {
    while (this.pending === 0 && !this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.pending === 0) return null;
    if (this.large.length > 0 && (taker === 'worker' || this.head === this.files.length)) {
      const n = Math.min(size, LARGE_BATCH_SIZE);
      return { files: this.large.splice(0, n), positions: this.largePositions.splice(0, n) };
    }
    const start = this.head;
    const files = this.files.slice(start, start + size);
    this.head += files.length;
    return { files, positions: this.positions.slice(start, start + size) };
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
  const queue = new FileQueue();
  let excluded = 0;
  const enqueue = (files: readonly GitFile[]) => {
    const kept = files.filter((file) => !isExcluded(file.path));
    excluded += files.length - kept.length;
    queue.push(kept);
  };
  // prodeng's own cache, when it lives in the tree (`.prodeng/cache` beside the default database):
  // its files are not the team's, and this scan's cache would be read on every observation. Only
  // untracked files: a tracked file there is the team's own, whatever --db says.
  const own = options.cacheDir === undefined ? undefined : ownDirectory(root, options.cacheDir);
  const untrackedOnly = (paths: readonly string[]): GitFile[] => {
    const files: GitFile[] = [];
    for (const path of paths) {
      if (own !== undefined && path.startsWith(own)) {
        excluded++;
        continue;
      }
      files.push({ path });
    }
    return files;
  };

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

  // Worker threads take 50-150 ms to start. At the top of a work tree the size of git's index
  // promises how large the tree is: a large one gets its workers before the index is even read.
  const indexFile = join(root, '.git', 'index');
  const promised = existsSync(indexFile) ? estimateTrackedFiles(indexFile) : 0;
  const early = threadCount(config.workers, promised) - 1;
  let pool: WorkerPool | undefined =
    early > 0 ? new WorkerPool(root, { tags: config.tags, maxFileSize: config.maxFileSize, blobIds: config.blame }, early) : undefined;
  queue.routeLarge = pool !== undefined;
  try {
    // At the top of a work tree the index is read directly: no process to start, and the scan can
    // begin at once. Elsewhere git answers whether this is a work tree and what it tracks.
    const chunks = readTrackedChunksFromIndex(root, options.indexChunkSize);
    const workTree = chunks !== null ? Promise.resolve(true) : quiet(gitWorkTree(root, options.signal).then((tree) => tree !== null, whenGitMissing));
    const source: 'git' | 'filesystem' = (await workTree) ? 'git' : 'filesystem';
    const batchOptions: BatchOptions = { tags: config.tags, maxFileSize: config.maxFileSize, blobIds: config.blame && source === 'git' };
    if (pool && source !== 'git') {
      // A .git/index without a work tree around it (rare): start over with the right options.
      await pool.close();
      pool = undefined;
      queue.routeLarge = false;
    }
    let bridge = new CacheBridge(undefined, batchOptions.blobIds);
    const useCache = config.cache && options.cacheDir !== undefined;
    const loadCache = () => new CacheBridge(ScanCache.load(options.cacheDir!, root, cacheKey(batchOptions)), batchOptions.blobIds);
    /** `listing`: the main thread scans once it has read what it lists itself (the index). */
    const scan = async (listing: Promise<unknown>): Promise<BatchResult> => {
      const tally = new Tally(bridge, queue, options);
      const here = listing.then(() => scanOnMainThread(root, queue, tally, batchOptions, options, pool !== undefined));
      // A failed worker fails the scan: the main thread stops too rather than scan on for nothing.
      const there = pool?.scan(queue, tally, options).catch((error: unknown) => {
        tally.stopped = true;
        throw error;
      });
      await Promise.all([here, there]);
      return tally.total;
    };
    let scanning: Promise<BatchResult>;
    let rest: Promise<void> = Promise.resolve();
    /** Whether git vouched for any file's record: without that the cache is neither used nor written. */
    let stamped = false;
    if (chunks !== null) {
      // Untracked files need a walk of the whole work tree by git: started first, it runs while
      // the tracked files are scanned (and starting a process is cheapest while our heap is small).
      const untracked = quiet(gitListUntracked(root, options.signal));
      if (useCache) bridge = loadCache();
      // The scan starts with the index's first chunk: the workers (started above, sized by the
      // index's size) take the first files while the rest of the index is read, and the main
      // thread joins them once it has read it all (while the workers are still starting, on a
      // large tree).
      let indexRead!: () => void;
      scanning = quiet(scan(new Promise<void>((resolve) => (indexRead = resolve))));
      let complete: boolean;
      const read: GitFile[][] = [];
      for (;;) {
        const next = chunks.next();
        if (next.done) {
          complete = next.value;
          break;
        }
        read.push(next.value);
        stamped ||= next.value.some((file) => file.stamp !== undefined);
        enqueue(next.value);
        // Let the workers have these before the next chunk is read.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      indexRead();
      if (!complete) {
        // A split or sparse index, found part way: what was queued are real index entries; git
        // lists the rest (without git, a walk of the directory does).
        const listing = await gitListTracked(root, options.signal).catch(whenGitMissing);
        const queued = new Set(read.flat().map((file) => file.path));
        const all = listing ?? walkFiles(root, { signal: options.signal, onError: (path, error) => errors.push({ path, message: `cannot list ${path}: ${error.message}` }) }).map((path) => ({ path }));
        enqueue(all.filter((file) => !queued.has(file.path)));
      }
      rest = untracked.then(
        (paths) => enqueue(untrackedOnly(paths)),
        (error) => void whenGitMissing(error),
      );
    } else {
      if (source === 'git') {
        const untracked = quiet(gitListUntracked(root, options.signal));
        enqueue(await gitListTracked(root, options.signal));
        rest = untracked.then(
          (paths) => enqueue(untrackedOnly(paths)),
          (error) => void whenGitMissing(error),
        );
      } else {
        enqueue(
          untrackedOnly(
            walkFiles(root, {
              signal: options.signal,
              onError: (path, error) => errors.push({ path, message: `cannot list ${path}: ${error.message}` }),
            }),
          ),
        );
      }
      // Listed at once: now the number of files is known, so is whether workers pay.
      const workers = threadCount(config.workers, queue.pending) - 1;
      if (workers === 0 && pool) {
        await pool.close();
        pool = undefined;
      } else if (workers > 0 && !pool) {
        pool = new WorkerPool(root, batchOptions, workers);
      }
      scanning = quiet(scan(Promise.resolve()));
    }
    // The queue closes when the untracked listing has arrived (or failed: then the scan stops too).
    const listed = rest.finally(() => queue.close());
    const [result] = await Promise.all([scanning, listed]);
    if (stamped) bridge.save();
    // Batches finish in any order; keep the result independent of scheduling.
    // (By path; for a path listed twice, see below, the tracked copy first.)
    const untrackedLast = (file: FileMarkers) => (file.indexBlob === undefined ? 1 : 0);
    result.found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : untrackedLast(a) - untrackedLast(b)));
    // A file listed both as tracked (read from the index) and untracked (git, a moment later)
    // when the index changed in between: once is enough, as tracked.
    const found = result.found.filter((file, i) => i === 0 || file.path !== result.found[i - 1]!.path);
    return {
      ...result,
      found,
      errors: [...errors, ...result.errors],
      source,
      listed: queue.total,
      excluded,
      gitMissing,
      fromCache: bridge.fromCache,
    };
  } finally {
    // On failure (a listing failed, a worker died, an abort) no thread goes on scanning for nothing.
    queue.cancel();
    await pool?.close();
  }
}

/** `dir` as a path prefix relative to `root` (`.prodeng/cache/`), when it is inside `root`. */
function ownDirectory(root: string, dir: string): string | undefined {
  const inside = relative(root, dir);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  return `${inside.split(sep).join('/')}/`;
}

/** About how many files an index of this size lists (an entry is ~100 bytes with its path). */
function estimateTrackedFiles(index: string): number {
  try {
    return Math.floor(statSync(index).size / 100);
  } catch {
    return 0;
  }
}

/** Threads that scan, the main thread included: 1 is the main thread alone. */
function threadCount(configured: number, files: number): number {
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

/** What the scan found so far, whichever thread scanned it. */
class Tally {
  readonly total = emptyBatch();
  private done = 0;
  /** Set when another thread failed: the scan's result will not be used. */
  stopped = false;

  constructor(
    private readonly bridge: CacheBridge,
    private readonly queue: FileQueue,
    private readonly options: Options,
  ) {}

  prepare(taken: Taken): Prepared {
    return this.bridge.prepare(taken);
  }

  add(prepared: Prepared, answer: BatchAnswer): void {
    mergeBatch(this.total, this.bridge.settle(prepared, answer));
    this.done += prepared.files.length;
    this.options.progress('scanning', { done: this.done, total: this.queue.total });
  }
}

async function scanOnMainThread(root: string, queue: FileQueue, tally: Tally, batchOptions: BatchOptions, options: Options, withWorkers: boolean): Promise<void> {
  const size = withWorkers ? MAIN_BATCH_SIZE : BATCH_SIZE;
  for (let taken = await queue.take(size, 'main'); taken !== null; taken = await queue.take(size, 'main')) {
    options.signal.throwIfAborted();
    if (tally.stopped) return;
    const prepared = tally.prepare(taken);
    tally.add(prepared, scanBatch(root, prepared.batch, batchOptions));
    // While files are waiting, taking the next batch resolves at once: let the workers' answers
    // (and their next batches) through in between, and a server's requests (prodeng serve).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
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

  async scan(queue: FileQueue, tally: Tally, options: Options): Promise<void> {
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            // A worker answers its batches in the order it got them.
            const sent: Prepared[] = [];
            const feed = () => {
              if (options.signal.aborted) return reject(options.signal.reason);
              inFlight++;
              queue
                .take(queue.batchSize(this.workers.length + 1), 'worker')
                .then((taken) => {
                  if (taken === null) {
                    if (--inFlight === 0) resolve();
                    return;
                  }
                  const prepared = tally.prepare(taken);
                  sent.push(prepared);
                  worker.postMessage(prepared.batch);
                })
                .catch(reject);
            };
            worker.on('message', (answer: BatchAnswer) => {
              inFlight--;
              try {
                tally.add(sent.shift()!, answer);
              } catch (error) {
                return reject(error);
              }
              feed();
            });
            worker.once('error', reject);
            worker.once('exit', (code) => {
              if (code !== 0) reject(new Error(`todo scan worker exited with code ${code}`));
            });
            options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true });
            // Batches in flight per worker, so that it never waits for the main thread between
            // them (which may be reading the index, or scanning a batch of its own).
            for (let i = 0; i < IN_FLIGHT; i++) feed();
          }),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
