/**
 * Remembers git blame answers between observations. Blaming is the slow part of a repeated
 * observation (one git process per file with markers) while its answer rarely changes: for a file
 * whose content is committed and unchanged, the author and date of each line stay the same when
 * other files change. So answers are keyed by the file's git blob id (content) and line, and only
 * answers for clean, committed files are kept. History rewrites (rebase, amend) can leave an
 * entry stale until that file changes; delete the cache directory to start over.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { BlameLine } from '../../util/git.js';

const FILE = 'todo-blame-v1.json';

const entrySchema = z.object({ c: z.string(), a: z.string().nullable(), t: z.number() });
const cacheSchema = z.record(z.string(), z.record(z.string(), entrySchema));
type Entry = z.infer<typeof entrySchema>;

export class BlameCache {
  private readonly used = new Map<string, Record<string, Entry>>();

  private constructor(
    private readonly dir: string,
    private readonly stored: Record<string, Record<string, Entry>>,
  ) {}

  /** Loads the cache; a missing, unreadable or malformed file is an empty cache, never an error. */
  static load(dir: string): BlameCache {
    try {
      const parsed = cacheSchema.safeParse(JSON.parse(readFileSync(join(dir, FILE), 'utf8')));
      return new BlameCache(dir, parsed.success ? parsed.data : {});
    } catch {
      return new BlameCache(dir, {});
    }
  }

  /** All requested lines of this blob, or undefined if any is missing. */
  get(blob: string, lines: readonly number[]): Map<number, BlameLine> | undefined {
    const entries = this.stored[blob];
    if (!entries) return undefined;
    const result = new Map<number, BlameLine>();
    for (const line of lines) {
      const entry = entries[line];
      if (!entry) return undefined;
      result.set(line, { commit: entry.c, author: entry.a, date: new Date(entry.t * 1000) });
    }
    this.used.set(blob, entries);
    return result;
  }

  /** Keeps an answer, unless some line is not committed yet (then it will change). */
  set(blob: string, blame: ReadonlyMap<number, BlameLine>): void {
    const entries: Record<string, Entry> = {};
    for (const [line, value] of blame) {
      if (/^0+$/.test(value.commit)) return;
      entries[line] = { c: value.commit, a: value.author, t: Math.floor(value.date.getTime() / 1000) };
    }
    this.used.set(blob, { ...this.used.get(blob), ...entries });
  }

  /**
   * Writes what this observation used, so entries of deleted or changed files age out. Written to
   * a temporary file and renamed, so concurrent observations never read a torn file.
   */
  save(): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = join(this.dir, `${FILE}.${process.pid}.tmp`);
      writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.used)));
      renameSync(tmp, join(this.dir, FILE));
    } catch {
      // A cache that cannot be written only costs speed next time.
    }
  }
}
