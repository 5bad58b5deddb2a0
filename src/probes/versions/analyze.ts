/**
 * Turns the inventory into findings, metrics and an upgrade plan. Pure: end-of-life answers and
 * registry answers come in as data, so every rule is tested without I/O.
 */
import { fingerprint, ordinals } from '../../core/fingerprint.js';
import type { Finding, Metric, Severity } from '../../core/model.js';
import type { VersionsConfig } from './config.js';
import type { Component, Ecosystem } from './model.js';

const DAY_MS = 86_400_000;
const YEAR_DAYS = 365.25;

export type EolStatus = 'eol' | 'eol-soon' | 'support-ended' | 'supported' | 'unknown';

/** End-of-life facts about one product cycle, as the verdict module answers them. */
export interface EolAnswer {
  status: EolStatus;
  /** YYYY-MM-DD, or null when the product says "ended" without a date (or has no end yet). */
  eol: string | null;
  eoas: string | null;
  /** The newest release of that cycle. */
  latest: string | null;
  /** The newest cycle that is still supported, to upgrade to. */
  upgradeTo: { cycle: string; eol: string | null } | null;
  productTitle: string;
}

/** Registry facts about one library, computed by the freshness helpers. */
export interface FreshnessAnswer {
  latestStable: string | null;
  majorsBehind: number | null;
  libyears: number | null;
  deprecated: string | null;
  /** Time of the newest release of any version; null when unknown. */
  lastReleaseAt: string | null;
  /** The version in use is the latest stable one (or newer). */
  upToDate: boolean;
}

/** A component with what is known about it; `eol`/`freshness` undefined when not asked or unknown. */
export interface Assessed {
  component: Component;
  eol?: EolAnswer;
  freshness?: FreshnessAnswer;
}

export interface PlanItem {
  rank: number;
  /** `nodejs 16`, `npm lodash`. */
  subject: string;
  action: string;
  why: string;
  where: string[];
}

export interface Analysis {
  findings: Finding[];
  metrics: Metric[];
  plan: PlanItem[];
}

const label = (c: Component) => (c.product && c.cycle ? `${c.product} ${c.cycle}` : c.version ? `${c.name} ${c.version}` : c.name);
const where = (c: Component) => `${c.source.path}${c.source.line === undefined ? '' : `:${c.source.line}`}`;
const location = (c: Component): Finding['location'] =>
  c.source.path.startsWith('host:') ? null : { path: c.source.path, ...(c.source.line === undefined ? {} : { line: c.source.line }) };

function daysBetween(from: Date, toIso: string): number {
  return Math.floor((Date.parse(`${toIso.slice(0, 10)}T00:00:00Z`) - from.getTime()) / DAY_MS);
}

/** Severity of a library that is majors behind: by how many, one step up after three libyears. */
export function majorBehindSeverity(majors: number, libyears: number | null): Severity {
  const ladder: Severity[] = ['low', 'medium', 'high'];
  let step = majors >= 3 ? 2 : majors === 2 ? 1 : 0;
  if (libyears !== null && libyears >= 3) step++;
  return ladder[Math.min(step, ladder.length - 1)]!;
}

export function analyze(assessed: readonly Assessed[], config: VersionsConfig, now: Date, data: { asOf: string; origin: string }): Analysis {
  const findings: Finding[] = [];
  const eolFindings = assessed.filter((a) => a.eol && a.component.product && a.component.cycle && a.eol.status !== 'supported' && a.eol.status !== 'unknown');
  const twinsOf = ordinals(eolFindings, (a) => `${a.component.product}\0${a.component.cycle}\0${a.component.source.path}`);
  eolFindings.forEach((a, index) => {
    const { component: c, eol } = a as Required<Assessed>;
    const rule = eol.status === 'eol' ? 'versions/eol' : eol.status === 'eol-soon' ? 'versions/eol-soon' : 'versions/support-ended';
    const name = `${eol.productTitle} ${c.cycle}`;
    const daysPast = eol.eol === null ? null : -daysBetween(now, eol.eol);
    const severity: Severity =
      rule === 'versions/eol' ? (daysPast !== null && daysPast > 365 ? 'critical' : 'high') : rule === 'versions/eol-soon' ? 'medium' : 'low';
    const title =
      rule === 'versions/eol'
        ? `${name} reached end of life${eol.eol ? ` on ${eol.eol}` : ''}`
        : rule === 'versions/eol-soon'
          ? `${name} reaches end of life on ${eol.eol}`
          : `${name}: active support ended${eol.eoas ? ` on ${eol.eoas}` : ''}, security fixes continue${eol.eol ? ` until ${eol.eol}` : ''}`;
    const upgrade = eol.upgradeTo ? `Upgrade to ${eol.productTitle} ${eol.upgradeTo.cycle}${eol.upgradeTo.eol ? ` (supported until ${eol.upgradeTo.eol})` : ''}.` : `Upgrade to a supported release of ${eol.productTitle}.`;
    findings.push({
      rule,
      severity,
      title,
      message: `${c.kind} ${label(c)}${c.version ? ` (${c.version})` : ''} declared in ${where(c)}: ${title}.`,
      location: location(c),
      fingerprint: fingerprint(rule, c.product!, c.cycle!, c.source.path, String(twinsOf[index])),
      data: {
        product: c.product,
        cycle: c.cycle,
        version: c.version,
        eol: eol.eol,
        eoas: eol.eoas,
        kind: c.kind,
        source: c.source,
        latest: eol.latest,
        upgradeTo: eol.upgradeTo,
      },
      remediation: upgrade,
      effort: c.kind === 'os' ? 'large' : c.kind === 'library' ? 'small' : 'medium',
    });
  });

  const libraries = assessed.filter((a) => a.freshness && (config.includeDev || !a.component.dev));
  const libTwins = ordinals(libraries, (a) => `${a.component.ecosystem}\0${a.component.name}\0${a.component.source.path}`);
  libraries.forEach((a, index) => {
    const { component: c, freshness: f } = a as Required<Assessed>;
    const id = `${c.ecosystem}\0${c.name}\0${c.source.path}\0${libTwins[index]}`;
    if (f.majorsBehind !== null && f.majorsBehind > 0 && f.latestStable) {
      findings.push({
        rule: 'versions/major-behind',
        severity: majorBehindSeverity(f.majorsBehind, f.libyears),
        title: `${c.name} ${c.version} is ${f.majorsBehind} major version${f.majorsBehind === 1 ? '' : 's'} behind ${f.latestStable}`,
        message: `${c.ecosystem} package ${c.name} ${c.version}${c.direct ? '' : ' (transitive)'}${c.dev ? ' (dev)' : ''} in ${where(c)}; latest stable is ${f.latestStable}${f.libyears === null ? '' : `, ${f.libyears.toFixed(1)} libyears behind`}.`,
        location: location(c),
        fingerprint: fingerprint('versions/major-behind', id),
        data: { name: c.name, ecosystem: c.ecosystem, version: c.version, latest: f.latestStable, majorsBehind: f.majorsBehind, libyears: f.libyears, direct: c.direct, dev: c.dev, source: c.source },
        remediation: `Upgrade ${c.name} to ${f.latestStable}, reading its changelog for breaking changes of each major.`,
        effort: f.majorsBehind >= 3 ? 'large' : 'medium',
      });
    }
    if (f.deprecated) {
      findings.push({
        rule: 'versions/deprecated',
        severity: 'medium',
        title: `${c.name} ${c.version} is deprecated`,
        message: `${c.ecosystem} package ${c.name} ${c.version} in ${where(c)} is marked deprecated by its registry: ${f.deprecated}`,
        location: location(c),
        fingerprint: fingerprint('versions/deprecated', id),
        data: { name: c.name, ecosystem: c.ecosystem, version: c.version, deprecation: f.deprecated, direct: c.direct, dev: c.dev, source: c.source },
        remediation: 'Follow the deprecation message: move to its replacement or a maintained version.',
        effort: 'small',
      });
    }
    if (f.lastReleaseAt && now.getTime() - Date.parse(f.lastReleaseAt) > config.unmaintainedDays * DAY_MS) {
      const years = (now.getTime() - Date.parse(f.lastReleaseAt)) / DAY_MS / YEAR_DAYS;
      findings.push({
        rule: 'versions/unmaintained',
        severity: 'low',
        title: `${c.name} has had no release for ${years.toFixed(1)} years`,
        message: `${c.ecosystem} package ${c.name} in ${where(c)}: its last release was on ${f.lastReleaseAt.slice(0, 10)}.`,
        location: location(c),
        fingerprint: fingerprint('versions/unmaintained', id),
        data: { name: c.name, ecosystem: c.ecosystem, version: c.version, lastRelease: f.lastReleaseAt, direct: c.direct, dev: c.dev, source: c.source },
        remediation: 'Check whether the package is still maintained; plan a replacement if it is abandoned.',
        effort: 'medium',
      });
    }
  });

  const dataAgeDays = -daysBetween(now, data.asOf);
  if (dataAgeDays > config.dataMaxAgeDays) {
    findings.push({
      rule: 'versions/eol-data-outdated',
      severity: 'low',
      title: `End-of-life data is ${dataAgeDays} days old (as of ${data.asOf})`,
      message: `Verdicts use endoflife.date data of ${data.asOf} (${data.origin}); newer releases and changed dates are not known.`,
      location: null,
      fingerprint: fingerprint('versions/eol-data-outdated'),
      data: { asOf: data.asOf, origin: data.origin, ageDays: dataAgeDays },
      remediation: 'Run `prodeng data update` on a machine with network access (or upgrade prodeng).',
      effort: 'trivial',
    });
  }

  return { findings, metrics: metricsOf(assessed, config, findings), plan: planOf(assessed, now) };
}

function metricsOf(assessed: readonly Assessed[], config: VersionsConfig, findings: readonly Finding[]): Metric[] {
  const metrics: Metric[] = [];
  const libraries = assessed.filter((a) => a.component.kind === 'library' || (a.component.kind === 'framework' && a.component.ecosystem));
  const counted = libraries.filter((a) => config.includeDev || !a.component.dev);
  const libyears = new Map<string, number>();
  let majors = 0;
  let checked = 0;
  let upToDate = 0;
  for (const a of counted) {
    const f = a.freshness;
    if (!f) continue;
    checked++;
    if (f.libyears !== null) {
      const eco = a.component.ecosystem ?? 'other';
      libyears.set(eco, (libyears.get(eco) ?? 0) + f.libyears);
    }
    if (f.majorsBehind !== null) majors += f.majorsBehind;
    if (f.upToDate) upToDate++;
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  metrics.push({ name: 'versions.libyears', value: round([...libyears.values()].reduce((x, y) => x + y, 0)), unit: 'years', labels: { ecosystem: 'all' } });
  for (const [eco, years] of [...libyears].sort()) metrics.push({ name: 'versions.libyears', value: round(years), unit: 'years', labels: { ecosystem: eco } });
  metrics.push({ name: 'versions.majors_behind', value: majors, unit: 'majors', labels: {} });
  metrics.push({ name: 'versions.eol_count', value: findings.filter((f) => f.rule === 'versions/eol').length, unit: 'components', labels: {} });
  metrics.push({ name: 'versions.eol_soon_count', value: findings.filter((f) => f.rule === 'versions/eol-soon').length, unit: 'components', labels: {} });
  const unique = (list: readonly Assessed[]) => new Set(list.map((a) => `${a.component.ecosystem}\0${a.component.name}`)).size;
  metrics.push({ name: 'versions.dependencies', value: unique(libraries.filter((a) => a.component.direct)), unit: 'packages', labels: { scope: 'direct' } });
  metrics.push({ name: 'versions.dependencies', value: unique(libraries), unit: 'packages', labels: { scope: 'total' } });
  if (checked > 0) metrics.push({ name: 'versions.up_to_date_ratio', value: round(upToDate / checked), unit: 'ratio', labels: {} });
  return metrics;
}

/**
 * What to upgrade first: what is already past end of life (longest past first), then what
 * reaches it soonest, then the libraries most majors behind. One item per product cycle or
 * package, listing every place that declares it.
 */
function planOf(assessed: readonly Assessed[], now: Date): PlanItem[] {
  interface Entry {
    key: string;
    order: [number, number];
    subject: string;
    action: string;
    why: string;
    where: Set<string>;
  }
  const entries = new Map<string, Entry>();
  const add = (key: string, make: () => Omit<Entry, 'where'>, at: string) => {
    let entry = entries.get(key);
    if (!entry) {
      entry = { ...make(), where: new Set() };
      entries.set(key, entry);
    }
    entry.where.add(at);
  };
  for (const a of assessed) {
    const c = a.component;
    if (a.eol && c.product && c.cycle && (a.eol.status === 'eol' || a.eol.status === 'eol-soon')) {
      const eol = a.eol;
      const days = eol.eol === null ? -100_000 : daysBetween(now, eol.eol);
      add(
        `eol\0${c.product}\0${c.cycle}`,
        () => ({
          key: '',
          order: [eol.status === 'eol' ? 0 : 1, days],
          subject: `${eol.productTitle} ${c.cycle}`,
          action: eol.upgradeTo ? `upgrade to ${eol.upgradeTo.cycle}` : 'upgrade to a supported release',
          why: eol.status === 'eol' ? (eol.eol ? `end of life since ${eol.eol} (${-days} days)` : 'end of life') : `end of life on ${eol.eol} (in ${days} days)`,
        }),
        where(c),
      );
    }
    const f = a.freshness;
    if (f && f.majorsBehind && f.majorsBehind > 0 && f.latestStable && c.direct) {
      add(
        `lib\0${c.ecosystem}\0${c.name}`,
        () => ({
          key: '',
          order: [2, -f.majorsBehind! * 1000 - (f.libyears ?? 0)],
          subject: `${c.ecosystem} ${c.name} ${c.version}`,
          action: `upgrade to ${f.latestStable}`,
          why: `${f.majorsBehind} major${f.majorsBehind === 1 ? '' : 's'} behind${f.libyears === null || f.libyears < 0.05 ? '' : `, ${f.libyears.toFixed(1)} libyears`}`,
        }),
        where(c),
      );
    }
  }
  return [...entries.values()]
    .sort((x, y) => x.order[0] - y.order[0] || x.order[1] - y.order[1] || (x.subject < y.subject ? -1 : 1))
    .slice(0, 25)
    .map((entry, index) => ({ rank: index + 1, subject: entry.subject, action: entry.action, why: entry.why, where: [...entry.where].sort() }));
}

export type { Ecosystem };
