/**
 * Loads `prodeng.yml`: YAML with line positions, validated by zod, then every probe's options by
 * that probe's own schema. Errors are collected (not thrown one by one) so a user fixes them all
 * in one go; each names the file, line, column and key, and says what was expected.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { Cron } from 'croner';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import type { AnyProbe, SystemSpec } from '../core/probe.js';
import { ConfigError, type ConfigIssue, formatIssue } from './errors.js';
import { configSchema as baseConfigSchema, systemSchema, type IgnoreEntry } from './schema.js';

/** The documented default of `schedule:`: every day at 06:00 in the schedule's time zone. */
export const DEFAULT_SCHEDULE = '0 6 * * *';

/** The documented default of `concurrentRuns:`. */
export const DEFAULT_CONCURRENT_RUNS = 2;

const CRON_HINT = 'expected five fields "minute hour day-of-month month day-of-week" such as "0 6 * * *" (daily at 06:00), or off';

/**
 * `schedule:` — a cron expression, or `off`/`false` for none (normalised to null). Parsed here with
 * the same library and options the scheduler uses (five fields, minute precision), so a schedule
 * that loads is one the service can run.
 */
const scheduleSchema = z
  .custom<string | false>((value) => value === false || typeof value === 'string', { message: CRON_HINT })
  .transform((value, ctx): string | null => {
    if (value === false || value.trim().toLowerCase() === 'off') return null;
    const cron = value.trim();
    try {
      if (new Cron(cron, { mode: '5-part' }).nextRun() === null) {
        ctx.addIssue({ code: 'custom', message: `"${cron}" never matches a date (such as the 30th of February)` });
        return z.NEVER;
      }
    } catch (error) {
      const reason = (error as Error).message.replace(/^CronPattern: /, '');
      ctx.addIssue({ code: 'custom', message: `"${cron}" is not a cron expression (${reason}); ${CRON_HINT}` });
      return z.NEVER;
    }
    return cron;
  });

/** `timezone:` — an IANA name, kept in its canonical spelling (`utc` → `UTC`). */
const timeZoneSchema = z.string().transform((value, ctx) => {
  const zone = canonicalTimeZone(value.trim());
  if (zone === undefined) {
    ctx.addIssue({ code: 'custom', message: `unknown time zone "${value}"; expected an IANA name such as "Europe/Berlin", "America/New_York" or "UTC"` });
    return z.NEVER;
  }
  return zone;
});

/**
 * The file's full shape: schema.ts plus the service's keys. Laid over with `safeExtend`, which keeps
 * schema.ts's strictness and its checks (duplicate system names).
 */
const configSchema = baseConfigSchema.safeExtend({
  systems: z.array(systemSchema.safeExtend({ schedule: scheduleSchema.optional(), timezone: timeZoneSchema.optional() })).default([]),
  schedule: scheduleSchema.optional(),
  timezone: timeZoneSchema.optional(),
  concurrentRuns: z.number().int().min(1).max(64).default(DEFAULT_CONCURRENT_RUNS),
});
export type Config = z.infer<typeof configSchema>;

function canonicalTimeZone(zone: string): string | undefined {
  if (zone === '') return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The zone of the machine (TZ, else the system's setting): the default of `timezone:`. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export { ConfigError, type ConfigIssue, formatIssue } from './errors.js';

/** An ignore entry with where it was written, so an expired one can be reported at its line. */
export interface LocatedIgnore extends IgnoreEntry {
  source: { file: string; line: number | undefined };
}

/** A probe's parsed options, or `false` when the config disables it. */
export type ProbeSetting = { enabled: true; config: unknown } | { enabled: false };

/**
 * When `prodeng serve` observes a system: a five-field cron expression read in an IANA time zone,
 * or never (`cron: null`, from `schedule: off`; "observe now" still works).
 */
export interface SystemSchedule {
  cron: string | null;
  timezone: string;
}

export interface ResolvedSystem extends SystemSpec {
  probes: Map<string, ProbeSetting>;
  ignores: LocatedIgnore[];
  /** Set for the systems of the config file; systems named on the command line have none. */
  schedule?: SystemSchedule;
}

export interface ResolvedConfig {
  /** Absolute path of the file, or null when running on defaults. */
  file: string | null;
  /** Directory relative paths in the config resolve against. */
  baseDir: string;
  systems: ResolvedSystem[];
  timeoutMs: number;
  /** The top-level `schedule:`/`timezone:`: what a system without its own gets. */
  schedule: SystemSchedule;
  /** `prodeng serve`: how many systems are observed at once. */
  concurrentRuns: number;
  /** Resolves settings for a system that is not in the file (a TARGET on the command line). */
  systemFor(name: string, repo: string): ResolvedSystem;
  /** Settings for an endpoint given on the command line: the configured system that lists it, or a new one. */
  endpointSystem(url: string): ResolvedSystem;
}

type Path = readonly PropertyKey[];

/** Reads and validates a config file. Throws {@link ConfigError}. */
export function loadConfigFile(file: string, probes: readonly AnyProbe[]): ResolvedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError([{ file, key: '', message: `cannot read the config: ${reason}` }]);
  }
  return parseConfig(text, file, probes);
}

/** The configuration used when there is no file: every probe on its defaults. */
export function defaultConfig(baseDir: string, probes: readonly AnyProbe[]): ResolvedConfig {
  return parseConfig('{}', resolve(baseDir, 'prodeng.yml'), probes, null);
}

/** Parses config text; `file` is used for messages and as the base of relative paths. */
export function parseConfig(
  text: string,
  file: string,
  probes: readonly AnyProbe[],
  reportedFile: string | null = file,
): ResolvedConfig {
  const lineCounter = new LineCounter();
  // Duplicate keys are errors; toJS() below caps alias expansion against "billion laughs" bombs.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const displayFile = displayPath(file);
  const issues: ConfigIssue[] = [];
  for (const error of doc.errors) {
    const pos = error.linePos?.[0];
    issues.push({ file: displayFile, line: pos?.line, column: pos?.col, key: '', message: firstLine(error.message) });
  }
  if (issues.length > 0) throw new ConfigError(issues);

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new ConfigError([{ file: displayFile, key: '', message: firstLine((error as Error).message) }]);
  }
  const locate = (path: Path, atKey?: string) => locateNode(doc, lineCounter, path, atKey);
  const issueAt = (path: Path, message: string, atKey?: string): ConfigIssue => ({
    file: displayFile,
    ...locate(path, atKey),
    key: formatKey(atKey === undefined ? path : [...path, atKey]),
    message,
  });

  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError([issueAt([], 'expected a mapping with keys such as systems:, probes:, ignore:')]);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.flatMap((issue) => zodIssues(issue, configSchema, [], issueAt)));
  }
  const config = parsed.data;
  const baseDir = dirname(file);
  const probeById = new Map(probes.map((probe) => [probe.id, probe]));

  const resolveProbes = (
    overrides: Record<string, boolean | Record<string, unknown>> | undefined,
    overridePath: Path,
  ): Map<string, ProbeSetting> => {
    const settings = new Map<string, ProbeSetting>();
    for (const [path, source] of [
      [['probes'], config.probes],
      [overridePath, overrides ?? {}],
    ] as const) {
      for (const id of Object.keys(source)) {
        if (!probeById.has(id)) {
          const known = [...probeById.keys()];
          issues.push(issueAt(path, `unknown probe "${id}"${suggest(id, known)}; known probes: ${known.join(', ')}`, id));
        }
      }
    }
    for (const probe of probes) {
      const global = config.probes[probe.id];
      const local = overrides?.[probe.id];
      if (global === false || local === false) {
        settings.set(probe.id, { enabled: false });
        continue;
      }
      // A system's options are laid over the global ones, key by key.
      const merged = { ...(typeof global === 'object' ? global : {}), ...(typeof local === 'object' ? local : {}) };
      const result = probe.configSchema.safeParse(merged);
      if (result.success) {
        settings.set(probe.id, { enabled: true, config: result.data });
      } else {
        for (const issue of result.error.issues) {
          // Point at the system's override when it set that key, else at the global setting.
          const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path[0];
          const inLocal = typeof local === 'object' && key !== undefined && Object.hasOwn(local, key as string);
          const base: Path = inLocal ? [...overridePath, probe.id] : ['probes', probe.id];
          issues.push(...zodIssues(issue, probe.configSchema, base, issueAt));
        }
      }
    }
    return settings;
  };

  const locatedIgnores = (entries: IgnoreEntry[] | undefined, path: Path): LocatedIgnore[] =>
    (entries ?? []).map((entry, index) => ({
      ...entry,
      source: { file: displayFile, line: locate([...path, index]).line },
    }));

  const globalIgnores = locatedIgnores(config.ignore, ['ignore']);
  const defaultSchedule: SystemSchedule = {
    cron: config.schedule === undefined ? DEFAULT_SCHEDULE : config.schedule,
    timezone: config.timezone ?? localTimeZone(),
  };
  const systems: ResolvedSystem[] = config.systems.map((system, index) => {
    const repo = system.repo === undefined ? undefined : resolve(baseDir, system.repo);
    return {
      name: system.name,
      sources: {
        ...(repo === undefined ? {} : { repo }),
        ...(system.hosts ? { hosts: [...system.hosts] } : {}),
        ...(system.endpoints ? { endpoints: system.endpoints.map((e) => (typeof e === 'string' ? { url: e } : e)) } : {}),
      },
      probes: resolveProbes(system.probes, ['systems', index, 'probes']),
      ignores: [...globalIgnores, ...locatedIgnores(system.ignore, ['systems', index, 'ignore'])],
      schedule: {
        cron: system.schedule === undefined ? defaultSchedule.cron : system.schedule,
        timezone: system.timezone ?? defaultSchedule.timezone,
      },
    };
  });
  const defaults = resolveProbes(undefined, ['probes']);
  if (issues.length > 0) throw new ConfigError(dedupe(issues));

  return {
    file: reportedFile === null ? null : resolve(file),
    baseDir,
    systems,
    timeoutMs: config.timeout * 1000,
    schedule: defaultSchedule,
    concurrentRuns: config.concurrentRuns,
    systemFor: (name, repo) =>
      systems.find((system) => system.sources.repo === repo) ?? {
        name,
        sources: { repo },
        probes: defaults,
        ignores: globalIgnores,
      },
    endpointSystem: (url) =>
      systems.find((system) => system.sources.endpoints?.some((endpoint) => endpoint.url === url)) ?? {
        name: new URL(url).host,
        sources: { endpoints: [{ url }] },
        probes: defaults,
        ignores: globalIgnores,
      },
  };
}

function zodIssues(
  issue: z.core.$ZodIssue,
  schema: z.ZodType,
  base: Path,
  issueAt: (path: Path, message: string, atKey?: string) => ConfigIssue,
): ConfigIssue[] {
  const path = [...base, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(schema, issue.path);
    return issue.keys.map((key) =>
      issueAt(path, `unknown key "${key}"${suggest(key, known)}${known.length ? `; expected one of: ${known.join(', ')}` : ''}`, key),
    );
  }
  if (issue.code === 'invalid_union') {
    return [issueAt(path, 'expected true, false, or a mapping of options')];
  }
  return [issueAt(path, humanMessage(issue))];
}

function humanMessage(issue: z.core.$ZodIssue): string {
  const message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_type' && /received undefined/.test(message)) return `is required (${message.replace(/, received undefined/, '')})`;
  return message;
}

/** The keys an object schema accepts at `path`, for "did you mean" hints. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = schema;
  const unwrap = (n: unknown): unknown => {
    for (let i = 0; i < 20; i++) {
      const def = (n as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
      if (!def) return n;
      if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'readonly') n = def.innerType;
      else if (def.type === 'pipe') n = def.in;
      else return n;
    }
    return n;
  };
  node = unwrap(node);
  for (const segment of path) {
    const def = (node as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (def.type === 'object') node = unwrap((def.shape as Record<string, unknown>)[segment as string]);
    else if (def.type === 'array') node = unwrap(def.element);
    else if (def.type === 'record') node = unwrap(def.valueType);
    else return [];
    if (node === undefined) return [];
  }
  const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

function locateNode(doc: Document, lineCounter: LineCounter, path: Path, atKey?: string): { line?: number; column?: number } {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0];
  const segments = atKey === undefined ? path : [...path, atKey];
  for (const [index, segment] of segments.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === segment);
      if (!pair) break;
      const keyNode = pair.key as Node | null;
      const isLast = index === segments.length - 1;
      // For an unknown key point at the key itself; otherwise at the value.
      const target = isLast && atKey !== undefined ? keyNode : ((pair.value as Node | null) ?? keyNode);
      offset = target?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  if (offset === undefined) return {};
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function formatKey(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

function suggest(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = formatIssue(issue);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

