/**
 * The `todo` probe: TODO/FIXME/HACK/XXX/BUG markers in comments, attributed to author and date
 * with git blame, as code-health debt whose severity grows with age.
 */
import { fingerprint, normaliseEvidence, ordinals } from '../../core/fingerprint.js';
import type { Finding, Metric, ProbeError, Severity } from '../../core/model.js';
import type { Probe } from '../../core/probe.js';
import { mapLimit } from '../../util/concurrency.js';
import { gitBlameLines, gitStagedPaths, type BlameLine } from '../../util/git.js';
import { BlameCache } from './blame-cache.js';
import { collectMarkers } from './collect.js';
import { todoConfigSchema, todoOptionDocs, type TodoConfig } from './config.js';
import { findReference } from './references.js';
import type { Marker } from './scanner.js';

const RULE = 'todo/marker';
const DAY_MS = 86_400_000;
const BLAME_CONCURRENCY = 4;

export const todoProbe: Probe<TodoConfig> = {
  id: 'todo',
  aspect: 'code-health',
  title: 'TODO/FIXME debt',
  description: 'TODO, FIXME, HACK, XXX and BUG markers in comments across 80+ languages, aged with git blame.',
  rules: [
    {
      id: RULE,
      title: 'A TODO/FIXME marker in a comment',
      description:
        'A comment marks work left undone. Severity grows with the age of the line (git blame): info under 30 days, low from 30 days, medium from a year, high from two years; FIXME and BUG rank one step higher.',
      defaultSeverity: 'low',
      remediation: 'Do the work and delete the marker, or turn it into a tracked issue and reference it (TODO(#123)), or delete it if it no longer applies.',
      helpUri: 'https://github.com/prodeng/prodeng/blob/main/src/probes/todo/readme.md',
    },
  ],
  configSchema: todoConfigSchema,
  options: todoOptionDocs,
  // Directions the trend analysis cannot tell from the names (see core/trend.ts).
  metrics: { 'todo.files_scanned': { better: 'neither' } },
  appliesTo: (system) => system.sources.repo !== undefined,

  async run(ctx, config) {
    const root = ctx.system.sources.repo!;
    const collected = await collectMarkers(root, config, { signal: ctx.signal, progress: ctx.progress, cacheDir: ctx.cacheDir });
    const errors: ProbeError[] = [...collected.errors];
    if (collected.gitMissing) {
      errors.push({ message: 'git is not installed or not on PATH: listed files without it and could not date markers; install git', code: 'git-missing' });
    }

    const blame = new Map<string, Map<number, BlameLine>>();
    if (config.blame && collected.source === 'git' && !collected.gitMissing) {
      const cache = BlameCache.load(ctx.cacheDir);
      const pending: typeof collected.found = [];
      for (const file of collected.found) {
        if (file.indexBlob === undefined) continue; // not tracked: nothing to blame
        // Only a file whose content is what git has in its index can reuse an earlier answer.
        const clean = file.blob !== undefined && file.indexBlob === file.blob;
        const cached = clean ? cache.get(file.blob!, file.markers.map((marker) => marker.line)) : undefined;
        if (cached) blame.set(file.path, cached);
        else pending.push(file);
      }
      // A file whose content is its index blob and not staged differently from HEAD is as
      // committed: blaming HEAD gives the same answer without git reading the index (twice).
      const staged = pending.length > 0 ? await gitStagedPaths(root, ctx.signal).catch(() => null) : null;
      let done = 0;
      await mapLimit(
        pending,
        BLAME_CONCURRENCY,
        async (file) => {
          try {
            const lines = file.markers.map((marker) => marker.line);
            const committed = staged !== null && !staged.has(file.path) && file.blob !== undefined && file.indexBlob === file.blob;
            const answer = await gitBlameLines(root, file.path, lines, { signal: ctx.signal, now: ctx.now, ...(committed ? { revision: 'HEAD' } : {}) });
            blame.set(file.path, answer);
            if (file.blob !== undefined && file.indexBlob === file.blob) cache.set(file.blob, answer);
          } catch (error) {
            if (ctx.signal.aborted) throw error;
            errors.push({ path: file.path, message: `git blame failed: ${(error as Error).message}`, code: 'blame-failed' });
          }
          ctx.progress('blame', { done: ++done, total: pending.length });
        },
        ctx.signal,
      );
      cache.save();
    }

    const findings: Finding[] = [];
    const ages: number[] = [];
    const counts = new Map<string, number>(config.tags.map((tag) => [tag, 0]));
    for (const file of collected.found) {
      const twins = ordinals(file.markers, (marker) => `${marker.tag}\0${normaliseEvidence(marker.text)}`);
      file.markers.forEach((marker, index) => {
        counts.set(marker.tag, (counts.get(marker.tag) ?? 0) + 1);
        const untracked = collected.source === 'git' && file.indexBlob === undefined;
        const line = blame.get(file.path)?.get(marker.line);
        // Untracked files are being written right now; outside git there is no date at all.
        const date = line?.date ?? (untracked ? ctx.now : null);
        const ageDays = date === null ? null : Math.max(0, Math.floor((ctx.now.getTime() - date.getTime()) / DAY_MS));
        if (ageDays !== null) ages.push(ageDays);
        findings.push(toFinding(file.path, file.language, marker, twins[index]!, line?.author ?? null, date, ageDays, config));
      });
    }

    const metrics: Metric[] = [...counts].map(([tag, value]) => ({ name: 'todo.count', value, unit: 'markers', labels: { tag } }));
    metrics.push({ name: 'todo.files_scanned', value: collected.scanned, unit: 'files', labels: {} });
    if (ages.length > 0 || findings.length === 0) {
      ages.sort((a, b) => a - b);
      metrics.push(
        { name: 'todo.age_median_days', value: quantile(ages, 0.5), unit: 'days', labels: {} },
        { name: 'todo.age_p90_days', value: quantile(ages, 0.9), unit: 'days', labels: {} },
        { name: 'todo.oldest_days', value: ages.at(-1) ?? 0, unit: 'days', labels: {} },
      );
    }

    const skipped = Object.fromEntries(Object.entries(collected.skipped).sort());
    return {
      status: errors.length > 0 ? 'partial' : 'ok',
      findings,
      metrics,
      facts: {
        source: collected.source,
        filesListed: collected.listed,
        filesExcluded: collected.excluded,
        filesScanned: collected.scanned,
        filesFromCache: collected.fromCache,
        bytesScanned: collected.bytes,
        filesSkipped: skipped,
        blamed: blame.size,
      },
      errors: errors.slice(0, 200).concat(errors.length > 200 ? [{ message: `… and ${errors.length - 200} more errors` }] : []),
    };
  },
};

function toFinding(
  path: string,
  language: string,
  marker: Marker,
  ordinal: number,
  author: string | null,
  date: Date | null,
  ageDays: number | null,
  config: TodoConfig,
): Finding {
  const text = marker.text;
  const summary = text.length > 100 ? `${text.slice(0, 99)}…` : text;
  const when = date === null ? '' : `, written${author ? ` by ${author}` : ''} on ${date.toISOString().slice(0, 10)} (${ageDays} days ago)`;
  return {
    rule: RULE,
    severity: severityFor(marker.tag, ageDays, config),
    title: summary ? `${marker.tag}: ${summary}` : marker.tag,
    message: `${marker.tag} in ${path}:${marker.line}${when}: ${marker.comment}`,
    location: { path, line: marker.line, column: marker.column },
    fingerprint: fingerprint(RULE, path, marker.tag, normaliseEvidence(text), String(ordinal)),
    data: {
      tag: marker.tag,
      text,
      author,
      date: date === null ? null : date.toISOString(),
      ageDays,
      // `TODO(#123)` puts the reference where an owner would go.
      reference: findReference(text) ?? (marker.owner === undefined ? null : findReference(marker.owner)),
      owner: marker.owner === undefined || findReference(marker.owner) !== null ? null : marker.owner,
      language,
    },
    effort: 'small',
  };
}

const LADDER: readonly Severity[] = ['info', 'low', 'medium', 'high'];

/** Documented in readme.md: by age, one step up for urgent tags, capped at high. */
export function severityFor(tag: string, ageDays: number | null, config: Pick<TodoConfig, 'ageDays' | 'urgentTags'>): Severity {
  // Without blame the age is unknown: treat it as an ordinary, not fresh, marker.
  let step = 1;
  if (ageDays !== null) {
    step = ageDays >= config.ageDays.high ? 3 : ageDays >= config.ageDays.medium ? 2 : ageDays >= config.ageDays.low ? 1 : 0;
  }
  if (config.urgentTags.some((urgent) => urgent.toUpperCase() === tag.toUpperCase())) step++;
  return LADDER[Math.min(step, LADDER.length - 1)]!;
}

/** Nearest-rank quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
