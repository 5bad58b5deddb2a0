/**
 * The `supply-chain` probe: how a repository takes in code it did not write — GitHub Actions and
 * container images pinned or not, workflow token permissions, dangerous workflow patterns, scripts
 * piped from the network, installs that bypass the lockfile, manifests without (or out of sync
 * with) their lockfile — and credentials committed to it. In the spirit of OpenSSF Scorecard.
 *
 * Secrets are never printed: a finding carries the kind, length, first four characters and a
 * SHA-256 prefix of the value; every string the probe returns is scrubbed of every value found.
 */
import { join } from 'node:path';
import picomatch from 'picomatch';
import { fingerprint } from '../../core/fingerprint.js';
import { severityRank, type Finding, type Metric, type ProbeError } from '../../core/model.js';
import type { Probe } from '../../core/probe.js';
import { listRepositoryFiles } from '../../util/repo-files.js';
import { analyseCiConfig } from './ci.js';
import { DEFAULT_EXCLUDES, SECRET_DEFAULT_EXCLUDES, supplyChainConfigSchema, supplyChainOptionDocs, type SupplyChainConfig } from './config.js';
import { analyseDockerfile } from './dockerfile.js';
import { shellHitToHit, type Redact } from './evidence.js';
import { classify, hasShellShebang, readBounded, type ReadOutcome } from './files.js';
import { analyseActionManifest, analyseWorkflow } from './github.js';
import { analyseManifests, type ReadResult } from './manifests.js';
import type { ActionRefCount, FileError, Hit } from './model.js';
import { ruleId, RULE_NAMES, RULES } from './rules.js';
import { allowsUnquoted, describeSecret, redactSecrets, scanSecrets, secretHit } from './secrets.js';
import { analyseScript } from './shell.js';

const MAX_ERRORS = 200;
const MAX_LINES_LISTED = 100;

export const supplyChainProbe: Probe<SupplyChainConfig> = {
  id: 'supply-chain',
  aspect: 'security',
  title: 'Supply-chain hygiene',
  description:
    'Unpinned GitHub Actions and container images, workflow permissions, dangerous workflows, curl | sh, installs that bypass the lockfile, missing or stale lockfiles, and committed secrets (never printed).',
  rules: RULES,
  configSchema: supplyChainConfigSchema,
  options: supplyChainOptionDocs,
  // Directions the trend analysis cannot tell from the names (see core/trend.ts).
  metrics: { 'supply_chain.files_scanned': { better: 'neither' }, 'supply_chain.action_references': { better: 'neither' } },
  appliesTo: (system) => system.sources.repo !== undefined,

  async run(ctx, config) {
    const root = ctx.system.sources.repo!;
    const listing = await listRepositoryFiles(root, ctx.signal);
    const errors: ProbeError[] = [...listing.errors];
    if (listing.gitMissing) errors.push({ message: 'git is not installed or not on PATH: listed files without it; install git', code: 'git-missing' });
    const scan = scanRepository(root, listing.files, config, ctx.signal, (done, total) => ctx.progress('reading files', { done, total }));
    errors.push(...scan.errors);
    return {
      status: errors.length > 0 ? 'partial' : 'ok',
      findings: scan.findings,
      metrics: scan.metrics,
      facts: { source: listing.source, ...scan.facts },
      errors: errors.length > MAX_ERRORS ? [...errors.slice(0, MAX_ERRORS), { message: `… and ${errors.length - MAX_ERRORS} more errors` }] : errors,
    };
  },
};

export interface RepositoryScan {
  findings: Finding[];
  metrics: Metric[];
  facts: Record<string, unknown>;
  errors: ProbeError[];
}

/** Reads and analyses the listed files of a repository (the whole probe but the listing). */
export function scanRepository(root: string, listed: readonly string[], config: SupplyChainConfig, signal: AbortSignal, progress: (done: number, total: number) => void = () => undefined): RepositoryScan {
  const compile = (globs: readonly string[]): ((path: string) => boolean) => (globs.length > 0 ? picomatch([...globs], { dot: true }) : () => false);
  const isExcluded = compile([...(config.defaultExcludes ? DEFAULT_EXCLUDES : []), ...config.exclude]);
  const isSecretExcluded = compile([...(config.defaultExcludes ? SECRET_DEFAULT_EXCLUDES : []), ...config.secretExclude]);
  const files = listed.filter((path) => !isExcluded(path)).sort();
  const fileSet = new Set(files);
  const yarnBerry = fileSet.has('.yarnrc.yml');
  const secretOptions = { entropyThreshold: config.entropyThreshold, minLength: config.minSecretLength };
  const redact: Redact = (text) => redactSecrets(text, { ...secretOptions, unquoted: true });
  const githubOptions = { trustedOwners: new Set(config.trustedActionOwners.map((owner) => owner.toLowerCase())), yarnBerry, redact };

  const hits: Hit[] = [];
  const errors: ProbeError[] = [];
  const secretValues = new Set<string>();
  const refs: ActionRefCount = { total: 0, pinned: 0 };
  const manifestTexts = new Map<string, ReadOutcome>();
  const manifests: string[] = [];
  const counts = { workflows: 0, actionManifests: 0, dockerfiles: 0, ciConfigs: 0, scripts: 0, unresolvedImages: 0 };
  const skipped: Record<string, number> = {};
  let scanned = 0;
  let bytes = 0;

  const fileErrors = (path: string, list: readonly FileError[]): void => {
    for (const error of list) errors.push({ path, message: `${error.line === undefined ? '' : `line ${error.line}: `}${error.message}`, ...(error.code === undefined ? {} : { code: error.code }) });
  };

  files.forEach((path, index) => {
    signal.throwIfAborted();
    const roles = classify(path);
    if (roles.manifest) manifests.push(path);
    const structured = roles.workflow || roles.action || roles.dockerfile || roles.ci || roles.script !== null;
    const secrets = config.secrets && !isSecretExcluded(path);
    if (!structured && !secrets && !roles.extensionless && !roles.manifest) return;
    const read = readBounded(join(root, path), config.maxFileSize);
    if (roles.manifest) manifestTexts.set(path, read);
    if (read.kind !== 'text') {
      const reason = read.kind === 'skipped' ? read.reason : read.kind;
      skipped[reason] = (skipped[reason] ?? 0) + 1;
      if (read.kind === 'error') errors.push({ path, message: read.message, code: read.code });
      else if (read.kind === 'too-large' && structured) errors.push({ path, message: `larger than maxFileSize (${config.maxFileSize} bytes), not read`, code: 'too-large' });
      return;
    }
    scanned++;
    bytes += read.bytes;
    const text = read.text;
    if (roles.workflow) {
      counts.workflows++;
      const result = analyseWorkflow(path, text, githubOptions);
      hits.push(...result.hits);
      fileErrors(path, result.errors);
      refs.total += result.refs.total;
      refs.pinned += result.refs.pinned;
    } else if (roles.action) {
      counts.actionManifests++;
      const result = analyseActionManifest(path, text, githubOptions);
      hits.push(...result.hits);
      fileErrors(path, result.errors);
      refs.total += result.refs.total;
      refs.pinned += result.refs.pinned;
    } else if (roles.ci) {
      counts.ciConfigs++;
      const result = analyseCiConfig(path, text, redact, yarnBerry);
      hits.push(...result.hits);
      fileErrors(path, result.errors);
    }
    if (roles.dockerfile) {
      counts.dockerfiles++;
      const result = analyseDockerfile(path, text, redact, { yarnBerry });
      hits.push(...result.hits);
      counts.unresolvedImages += result.unresolved;
    }
    const scriptKind = roles.script ?? (roles.extensionless && hasShellShebang(text) ? 'shell' : null);
    if (scriptKind !== null) {
      counts.scripts++;
      const context = scriptKind === 'makefile' ? 'makefile' : 'script';
      for (const hit of analyseScript(text, 1, { context, yarnBerry })) hits.push(shellHitToHit(path, hit, context, redact));
    }
    if (secrets) {
      for (const match of scanSecrets(text, { ...secretOptions, unquoted: allowsUnquoted(path) })) {
        secretValues.add(match.value);
        for (const related of match.related) secretValues.add(related);
        hits.push(secretHit(path, match));
      }
    }
    progress(index + 1, files.length);
  });

  const view = {
    files: fileSet,
    redact,
    read(path: string, kind: 'manifest' | 'lockfile'): ReadResult {
      const cached = kind === 'manifest' ? manifestTexts.get(path) : undefined;
      const limit = kind === 'manifest' ? config.maxFileSize : config.maxLockfileSize;
      const read = cached ?? readBounded(join(root, path), limit);
      if (kind === 'manifest' && cached === undefined) manifestTexts.set(path, read);
      if (read.kind === 'text') return { text: read.text };
      if (read.kind === 'too-large') return { error: `larger than ${kind === 'manifest' ? 'maxFileSize' : 'maxLockfileSize'} (${limit} bytes), not read`, code: 'too-large' };
      if (read.kind === 'binary') return { error: 'binary content, not read', code: 'binary' };
      if (read.kind === 'skipped') return { error: `not read: ${read.reason}`, code: read.reason };
      return { error: read.message, code: read.code };
    },
  };
  signal.throwIfAborted();
  const manifestResult = analyseManifests(view, manifests);
  hits.push(...manifestResult.hits);
  const reported = new Set<string>();
  for (const error of manifestResult.errors) {
    // A lockfile shared by many workspaces is reported once.
    const id = `${error.path}\0${error.message}`;
    if (reported.has(id)) continue;
    reported.add(id);
    fileErrors(error.path, [error]);
  }

  const findings = toFindings(hits);
  const metrics: Metric[] = RULE_NAMES.map((name) => ({
    name: 'supply_chain.findings',
    value: findings.filter((finding) => finding.rule === ruleId(name)).length,
    unit: 'findings',
    labels: { rule: ruleId(name) },
  }));
  metrics.push(
    { name: 'supply_chain.pinned_actions_ratio', value: refs.total === 0 ? 1 : Math.round((refs.pinned / refs.total) * 10_000) / 10_000, unit: 'ratio', labels: {} },
    { name: 'supply_chain.action_references', value: refs.pinned, unit: 'references', labels: { pinned: 'true' } },
    { name: 'supply_chain.action_references', value: refs.total - refs.pinned, unit: 'references', labels: { pinned: 'false' } },
    { name: 'supply_chain.files_scanned', value: scanned, unit: 'files', labels: {} },
  );
  const facts = {
    filesListed: listed.length,
    filesExcluded: listed.length - files.length,
    filesScanned: scanned,
    bytesScanned: bytes,
    filesSkipped: Object.fromEntries(Object.entries(skipped).sort()),
    ...counts,
    manifests: manifests.length,
    actionReferences: { total: refs.total, pinned: refs.pinned },
    secretsScanned: config.secrets,
  };
  const needles = [...secretValues].filter((value) => value.length >= 8);
  return {
    findings: scrub(findings, needles),
    metrics,
    facts: scrub(facts, needles),
    errors: scrub(errors, needles),
  };
}

/** Hits with the same rule, file and key become one finding listing every line. */
function toFindings(hits: readonly Hit[]): Finding[] {
  const groups = new Map<string, Hit[]>();
  for (const hit of [...hits].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line))) {
    const id = `${hit.rule}\0${hit.path}\0${hit.key}`;
    const group = groups.get(id);
    if (group === undefined) groups.set(id, [hit]);
    else group.push(hit);
  }
  const findings: Finding[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const severity = group.reduce((worst, hit) => (severityRank(hit.severity) > severityRank(worst) ? hit.severity : worst), first.severity);
    const lines = [...new Set(group.map((hit) => hit.line))].sort((a, b) => a - b);
    const more = lines.length > 1 ? ` Seen on ${lines.length} lines: ${lines.slice(0, 10).join(', ')}${lines.length > 10 ? ', …' : ''}.` : '';
    const id = ruleId(first.rule);
    findings.push({
      rule: id,
      severity,
      title: first.title,
      message: `${first.message}${more}`,
      location: { path: first.path, line: first.line },
      fingerprint: fingerprint(id, first.path, first.key),
      data: { ...first.data, lines: lines.slice(0, MAX_LINES_LISTED), occurrences: group.length },
      remediation: first.remediation,
      effort: first.effort,
    });
  }
  const order = new Map(RULE_NAMES.map((name, index) => [ruleId(name), index]));
  return findings.sort((a, b) => (order.get(a.rule) ?? 0) - (order.get(b.rule) ?? 0) || (a.location as { path: string }).path.localeCompare((b.location as { path: string }).path) || ((a.location as { line?: number }).line ?? 0) - ((b.location as { line?: number }).line ?? 0));
}

/**
 * Deep copy of `value` with every needle (a secret value, at least 8 characters) replaced by its
 * redacted form, in every string. Linear in the total length of the strings: needles are found
 * through a map of their first 8 characters.
 */
export function scrub<T>(value: T, needles: readonly string[]): T {
  if (needles.length === 0) return value;
  const byPrefix = new Map<string, string[]>();
  for (const needle of [...new Set(needles)].sort((a, b) => b.length - a.length)) {
    if (needle.length < 8) continue;
    const key = needle.slice(0, 8);
    const list = byPrefix.get(key);
    if (list === undefined) byPrefix.set(key, [needle]);
    else list.push(needle);
  }
  const clean = (text: string): string => {
    if (text.length < 8) return text;
    let out = '';
    let from = 0;
    for (let i = 0; i + 8 <= text.length; ) {
      const candidates = byPrefix.get(text.slice(i, i + 8));
      const needle = candidates?.find((c) => text.startsWith(c, i));
      if (needle === undefined) {
        i++;
        continue;
      }
      out += text.slice(from, i) + describeSecret(needle).redacted;
      i += needle.length;
      from = i;
    }
    return from === 0 ? text : out + text.slice(from);
  };
  const walk = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') return clean(item);
    if (depth > 64 || item === null || typeof item !== 'object') return item;
    if (Array.isArray(item)) return item.map((entry) => walk(entry, depth + 1));
    return Object.fromEntries(Object.entries(item).map(([key, entry]) => [clean(key), walk(entry, depth + 1)]));
  };
  return walk(value, 0) as T;
}
