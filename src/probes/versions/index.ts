/**
 * The `versions` probe: the technology a system runs on and how it ages — OS, container images,
 * middleware, runtimes, libraries and frameworks — read from the repository's own files (no
 * install) and from the host, judged against endoflife.date and the package registries.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import type { ProbeError, RuleMeta } from '../../core/model.js';
import type { Probe } from '../../core/probe.js';
import { createRegistryClients, DatasourceError } from '../../datasources/index.js';
import { freshness } from '../../datasources/freshness.js';
import type { PackageInfo } from '../../datasources/registry.js';
import { loadEolData, setActiveEolData, type LoadedEolData } from '../../eol/data.js';
import { productForPackage } from '../../eol/products.js';
import { cycleFor, productById, verdict } from '../../eol/verdict.js';
import { mapLimit } from '../../util/concurrency.js';
import { listRepositoryFiles } from '../../util/repo-files.js';
import { schemeFor } from '../../versioning/index.js';
import { analyze, type Assessed, type EolAnswer, type FreshnessAnswer } from './analyze.js';
import { DEFAULT_EXCLUDES, versionsConfigSchema, versionsOptionDocs, type VersionsConfig } from './config.js';
import { libraryExtractors } from './extractors/library-extractors.js';
import { runtimeExtractors } from './extractors/runtime-extractors.js';
import { observeHost } from './host.js';
import type { Component, Extractor } from './model.js';

const HELP = 'https://github.com/prodeng/prodeng/blob/main/src/probes/versions/readme.md';

const RULES: RuleMeta[] = [
  {
    id: 'versions/eol',
    title: 'Past end of life',
    description: 'An OS, runtime, middleware, container runtime or framework release cycle is past its end of life (endoflife.date): no more security fixes. Critical when more than a year past.',
    defaultSeverity: 'high',
    remediation: 'Upgrade to a supported release cycle.',
    helpUri: HELP,
  },
  {
    id: 'versions/eol-soon',
    title: 'End of life within 180 days',
    description: 'A release cycle reaches its end of life within the configured window (180 days by default).',
    defaultSeverity: 'medium',
    remediation: 'Plan the upgrade now, while it can still be scheduled.',
    helpUri: HELP,
  },
  {
    id: 'versions/support-ended',
    title: 'Active support ended',
    description: 'Active support of a release cycle is over; it only gets security fixes until its end of life.',
    defaultSeverity: 'low',
    remediation: 'Upgrade before the security support ends too.',
    helpUri: HELP,
  },
  {
    id: 'versions/major-behind',
    title: 'A library is major versions behind',
    description: 'A library is one or more major versions behind its latest stable release; severity grows with the majors and the libyears behind.',
    defaultSeverity: 'low',
    remediation: 'Upgrade one major at a time, following the changelog.',
    helpUri: HELP,
  },
  {
    id: 'versions/deprecated',
    title: 'A library version is deprecated',
    description: 'The registry marks the version in use as deprecated.',
    defaultSeverity: 'medium',
    remediation: 'Follow the deprecation message.',
    helpUri: HELP,
  },
  {
    id: 'versions/unmaintained',
    title: 'A library has had no release for over two years',
    description: 'No release of the package for longer than the configured time (two years by default).',
    defaultSeverity: 'low',
    remediation: 'Check whether it is maintained; plan a replacement if not.',
    helpUri: HELP,
  },
  {
    id: 'versions/eol-data-outdated',
    title: 'End-of-life data is outdated',
    description: 'The endoflife.date data the verdicts use is older than the configured age (90 days by default).',
    defaultSeverity: 'low',
    remediation: 'Run `prodeng data update` where the network is reachable.',
    helpUri: HELP,
  },
];

const EXTRACTORS: readonly Extractor[] = [...runtimeExtractors, ...libraryExtractors];

export const versionsProbe: Probe<VersionsConfig> = {
  id: 'versions',
  aspect: 'technology-upgrade',
  title: 'Technology upgrade radar',
  description: 'End of life and freshness of OS, container images, middleware, runtimes, libraries and frameworks, from repository files and the host.',
  rules: RULES,
  configSchema: versionsConfigSchema,
  options: versionsOptionDocs,
  appliesTo: (system) => system.sources.repo !== undefined || (system.sources.hosts?.length ?? 0) > 0,

  async run(ctx, config) {
    const data = loadEolData({ cacheDir: ctx.cacheDir });
    setActiveEolData(data);
    const errors: ProbeError[] = data.warnings.map((message) => ({ message, code: 'eol-data' }));
    const components: Component[] = [];

    if (ctx.system.sources.repo !== undefined) {
      const found = await extractRepository(ctx.system.sources.repo, config, ctx.signal, (done, total) => ctx.progress('reading manifests', { done, total }));
      components.push(...found.components);
      errors.push(...found.errors);
    }
    if (ctx.system.sources.hosts?.includes('local')) {
      ctx.progress('asking the host');
      const host = await observeHost({ signal: ctx.signal });
      components.push(...host.components);
      errors.push(...host.errors);
    }

    const inventory = preferLocked(components);
    // Frameworks are libraries that endoflife.date tracks; every component with a product gets a cycle.
    for (const component of inventory) {
      if (!component.product && component.ecosystem) {
        const product = productForPackage(component.ecosystem, component.name, data);
        if (product) {
          component.product = product;
          component.kind = 'framework';
        }
      }
      if (component.product && !component.cycle) {
        const cycle = cycleFor(component.product, component.version ?? component.constraint ?? '');
        if (cycle) component.cycle = cycle;
      }
    }

    const assessed: Assessed[] = inventory.map((component) => {
      const answer: Assessed = { component };
      if (component.product && component.cycle) answer.eol = eolAnswer(component.product, component.cycle, ctx.now, data, config);
      return answer;
    });

    if (config.freshness !== 'none') {
      const registryErrors = await assessFreshness(assessed, config, ctx);
      errors.push(...registryErrors);
    }

    const analysis = analyze(assessed, config, ctx.now, { asOf: data.asOf, origin: data.origin });
    const planItems = analysis.plan.map((item) => `${item.rank}. ${item.subject}: ${item.action} — ${item.why} (${item.where.slice(0, 3).join(', ')}${item.where.length > 3 ? `, +${item.where.length - 3}` : ''})`);
    return {
      status: errors.length > 0 ? 'partial' : 'ok',
      findings: analysis.findings,
      metrics: analysis.metrics,
      facts: {
        eolData: { source: 'endoflife.date', asOf: data.asOf, origin: data.origin },
        notes: [`end-of-life data: endoflife.date as of ${data.asOf} (${data.origin === 'cache' ? 'updated with `prodeng data update`' : 'shipped with prodeng'})`],
        components: assessed.map(inventoryEntry),
        plan: analysis.plan,
        sections: planItems.length > 0 ? [{ title: `Upgrade plan (end-of-life data as of ${data.asOf})`, items: planItems }] : [],
      },
      errors: capErrors(errors),
    };
  },
};

/** Reads every file an extractor wants, once, and runs the extractors that want it. */
export async function extractRepository(
  root: string,
  config: VersionsConfig,
  signal: AbortSignal,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<{ components: Component[]; errors: ProbeError[] }> {
  const listing = await listRepositoryFiles(root, signal);
  const excludes = [...(config.defaultExcludes ? DEFAULT_EXCLUDES : []), ...config.exclude];
  const isExcluded = excludes.length > 0 ? picomatch(excludes, { dot: true }) : () => false;
  const errors: ProbeError[] = [...listing.errors];
  if (listing.gitMissing) errors.push({ message: 'git is not installed or not on PATH: listed files without it; install git', code: 'git-missing' });
  const wanted: Array<{ path: string; extractors: Extractor[] }> = [];
  for (const path of listing.files) {
    if (isExcluded(path)) continue;
    const extractors = EXTRACTORS.filter((extractor) => extractor.fileRequired(path));
    if (extractors.length > 0) wanted.push({ path, extractors });
  }
  const components: Component[] = [];
  let done = 0;
  for (const { path, extractors } of wanted) {
    signal.throwIfAborted();
    const text = readText(join(root, path), config.maxFileSize);
    if (text.kind === 'error') {
      errors.push({ path, message: text.message, code: text.code });
      continue;
    }
    for (const extractor of extractors) {
      const result = extractor.extract({ path, text: text.text });
      components.push(...result.components);
      for (const error of result.errors) {
        errors.push({ path, message: `${error.line === undefined ? '' : `line ${error.line}: `}${error.message}`, code: `extract-${extractor.id}` });
      }
    }
    progress(++done, wanted.length);
  }
  return { components, errors };
}

function readText(path: string, limit: number): { kind: 'text'; text: string } | { kind: 'error'; message: string; code: string } {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      size += n;
      if (size > limit) return { kind: 'error', message: `larger than maxFileSize (${limit} bytes), not read`, code: 'too-large' };
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    }
    return { kind: 'text', text: Buffer.concat(chunks, size).toString('utf8').replace(/^\uFEFF/, '') };
  } catch (error) {
    return { kind: 'error', message: `cannot read: ${(error as Error).message}`, code: (error as NodeJS.ErrnoException).code ?? 'read' };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function eolAnswer(product: string, cycle: string, now: Date, data: LoadedEolData, config: VersionsConfig): EolAnswer {
  const v = verdict(product, cycle, now, data);
  const entry = productById(product, data);
  const today = now.toISOString().slice(0, 10);
  // The window for "soon" is the probe's option, so the status is derived here from the dates.
  const status: EolAnswer['status'] =
    v.status === 'unknown'
      ? 'unknown'
      : v.status === 'eol' || (v.daysToEol !== null && v.daysToEol < 0)
        ? 'eol'
        : v.daysToEol !== null && v.daysToEol <= config.eolSoonDays
          ? 'eol-soon'
          : v.eoas !== null && v.eoas < today
            ? 'support-ended'
            : 'supported';
  // Upgrade target: the newest cycle that still gets fixes.
  const target = entry?.cycles.find((c) => {
    const status = verdict(product, c.cycle, now, data).status;
    return status === 'supported' || status === 'support-ended' || status === 'eol-soon';
  });
  return {
    status,
    eol: v.eol,
    eoas: v.eoas,
    latest: v.latest,
    upgradeTo: target && target.cycle !== cycle ? { cycle: target.cycle, eol: typeof target.eol === 'string' ? target.eol : null } : null,
    productTitle: entry?.title ?? product,
  };
}

/** Looks libraries up in their registries (deduplicated, bounded, cached); returns the errors by host. */
async function assessFreshness(assessed: Assessed[], config: VersionsConfig, ctx: Parameters<Probe<VersionsConfig>['run']>[0]): Promise<ProbeError[]> {
  const candidates = assessed.filter(
    (a) =>
      a.component.ecosystem !== null &&
      a.component.version !== null &&
      (config.freshness === 'all' || a.component.direct) &&
      (config.includeDev || !a.component.dev),
  );
  const keys = [...new Set(candidates.map((a) => `${a.component.ecosystem}\0${a.component.name}`))];
  if (keys.length === 0) return [];
  const clients = createRegistryClients({
    cacheDir: join(ctx.cacheDir, 'registries'),
    offline: ctx.offline,
    ttlMs: config.cacheTtlHours * 3_600_000,
    now: () => ctx.now,
    baseUrls: config.registries,
    concurrency: config.concurrency,
  });
  const answers = new Map<string, PackageInfo | null>();
  const failures = new Map<string, { host: string; code: string; message: string; count: number }>();
  let done = 0;
  await mapLimit(
    keys,
    config.concurrency,
    async (key) => {
      const [ecosystem, name] = key.split('\0') as [keyof typeof clients, string];
      try {
        answers.set(key, await clients[ecosystem].lookup(name, ctx.signal));
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        const e = error instanceof DatasourceError ? error : new DatasourceError('unavailable', clients[ecosystem].host, (error as Error).message);
        const id = `${e.host}\0${e.code}`;
        const failure = failures.get(id) ?? { host: e.host, code: e.code, message: e.message, count: 0 };
        failure.count++;
        failures.set(id, failure);
      }
      ctx.progress('asking registries', { done: ++done, total: keys.length });
    },
    ctx.signal,
  );
  for (const a of candidates) {
    const info = answers.get(`${a.component.ecosystem}\0${a.component.name}`);
    if (!info) continue;
    const scheme = schemeFor(a.component.ecosystem!);
    const f = freshness(info, a.component.version!, scheme);
    const answer: FreshnessAnswer = {
      latestStable: f.latestStable,
      majorsBehind: f.majorsBehind,
      libyears: f.libyears === null ? null : Math.round(f.libyears * 100) / 100,
      deprecated: f.deprecated,
      lastReleaseAt: f.lastReleaseAt,
      upToDate: f.latestStable !== null && scheme.compare(a.component.version!, f.latestStable) >= 0,
    };
    a.freshness = answer;
  }
  return [...failures.values()].map((failure) => ({
    message:
      failure.code === 'offline'
        ? `${failure.host}: ${failure.count} package${failure.count === 1 ? '' : 's'} not in the cache (offline); their freshness is unknown`
        : `${failure.host}: ${failure.message} (${failure.count} package${failure.count === 1 ? '' : 's'} not checked; their freshness is unknown)`,
    path: failure.host,
    code: `registry-${failure.code}`,
  }));
}

function inventoryEntry(a: Assessed): Record<string, unknown> {
  const c = a.component;
  return {
    kind: c.kind,
    name: c.name,
    version: c.version,
    ...(c.constraint === undefined ? {} : { constraint: c.constraint }),
    ecosystem: c.ecosystem,
    direct: c.direct,
    dev: c.dev,
    product: c.product ?? null,
    cycle: c.cycle ?? null,
    eol: a.eol?.eol ?? null,
    eolStatus: a.eol?.status ?? null,
    latest: a.freshness?.latestStable ?? a.eol?.latest ?? null,
    ...(c.purl === undefined ? {} : { purl: c.purl }),
    source: c.source,
  };
}

/**
 * A manifest (`package.json`, `pyproject.toml`) only says what a project asks for; the lockfile
 * beside it says what it gets. Where both name a library, the locked one stays, so a dependency
 * is judged (and reported) once, at its real version.
 */
export function preferLocked(components: readonly Component[]): Component[] {
  const dir = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);
  const locked = new Set(
    components.filter((c) => c.ecosystem !== null && c.version !== null).map((c) => `${c.ecosystem}\0${dir(c.source.path)}\0${c.name}`),
  );
  return components.filter((c) => c.ecosystem === null || c.version !== null || !locked.has(`${c.ecosystem}\0${dir(c.source.path)}\0${c.name}`));
}

function capErrors(errors: ProbeError[]): ProbeError[] {
  return errors.length > 200 ? [...errors.slice(0, 200), { message: `… and ${errors.length - 200} more errors` }] : errors;
}
