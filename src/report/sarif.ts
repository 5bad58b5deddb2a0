/**
 * The SARIF 2.1.0 reporter, for GitHub code scanning and other SARIF consumers.
 *
 * Choices worth knowing (docs/report-format.md, "SARIF"):
 * - One run for the whole report. Findings resolved in the reported snapshot are left out: code
 *   scanning closes an alert when a later upload for the same tool and category no longer contains
 *   it, while a result with `baselineState: "absent"` would still be taken as a present alert.
 * - Every result has a location, as GitHub requires: the file (relative to `%SRCROOT%`), the URL, or
 *   the system root `.` when the finding is about the system as a whole.
 * - `partialFingerprints["prodeng/v1"]` carries prodeng's own fingerprint, so alerts follow a finding
 *   that moves lines exactly as prodeng's lifecycle does.
 * - `security-severity` (GitHub's numeric severity) is set on rules of the security aspect, from the
 *   highest of the rule's default severity and the severities of its results: GitHub reads it from
 *   the rule only, and an alert must not look milder than the finding behind it.
 */
import type * as Sarif from 'sarif';
import { severityRank } from '../core/model.js';
import type { Aspect, FindingRecord, Location, Report, RuleMeta, Severity } from '../core/model.js';
import { toJsonValue } from './json.js';
import type { Reporter } from './reporter.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Where SARIF viewers link the tool name to. */
export const PRODENG_INFORMATION_URI = 'https://www.npmjs.com/package/prodeng';
/** Key of prodeng's fingerprint in `partialFingerprints`; bump the suffix if fingerprints ever change meaning. */
export const FINGERPRINT_KEY = 'prodeng/v1';

const LEVELS: Record<Severity, Sarif.Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub maps these to Critical (≥ 9.0), High (7.0–8.9), Medium (4.0–6.9), Low (0.1–3.9), None. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

const BASELINE: Record<Exclude<FindingRecord['status'], 'resolved'>, Sarif.Result.baselineState> = {
  new: 'new',
  reopened: 'new',
  open: 'unchanged',
};

/** `todo/marker` → `TodoMarker`, `deps/outdated-major` → `DepsOutdatedMajor`. */
export function pascalCase(id: string): string {
  const name = id
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
  return name === '' ? 'Rule' : name;
}

/** Lone surrogates become U+FFFD (`encodeURIComponent` throws on them; `toWellFormed` is ES2024). */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Characters RFC 3986 allows anywhere in a path, query or fragment (pchar, `/`, `?`). */
const URI_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]/;

function encodeUriPart(text: string): string {
  let out = '';
  for (const char of text) out += URI_SAFE.test(char) ? char : encodeURIComponent(wellFormed(char));
  // Keep existing escapes (`%20`) rather than double-encoding them.
  return out.replace(/%25([0-9A-Fa-f]{2})/g, '%$1');
}

function isWebUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.host !== '';
}

/**
 * An absolute URL as a strict RFC 3986 URI (what the SARIF schema's `uri` formats accept): the
 * WHATWG serialisation leaves a few characters (`|`, `^`, a second `#`, …) that RFC 3986 does not
 * allow, so everything after the scheme and an IP-literal host is re-encoded.
 */
function encodeUrl(url: string): string {
  const href = new URL(url).href;
  const head = /^[A-Za-z][A-Za-z0-9+.-]*:(\/\/[^/?#[\]]*\[[0-9A-Fa-f:.]+\])?/.exec(href)?.[0] ?? '';
  const rest = href.slice(head.length);
  const hashAt = rest.indexOf('#');
  if (hashAt < 0) return head + encodeUriPart(rest);
  return `${head}${encodeUriPart(rest.slice(0, hashAt))}#${encodeUriPart(rest.slice(hashAt + 1))}`;
}

/** A repository-relative path as a URI reference: `/`-separated, each segment percent-encoded. */
function pathToUri(path: string): string {
  const segments = path.replace(/\\/g, '/').replace(/^(\.\/)+/, '').split('/');
  return segments.map((segment) => encodeURIComponent(wellFormed(segment))).join('/');
}

function artifactLocation(location: Location): Sarif.ArtifactLocation {
  if (location === null) return { uri: '.', uriBaseId: '%SRCROOT%' };
  if ('url' in location) {
    // Only web URLs stay absolute: a `javascript:` or `data:` URI must not become a link in a SARIF
    // viewer, and text that is no URL at all is still a location. Either is kept, encoded, as a
    // relative reference rather than dropped.
    return { uri: isWebUrl(location.url) ? encodeUrl(location.url) : pathToUri(location.url) || '.' };
  }
  const path = location.path.replace(/\\/g, '/');
  // Paths should be repository-relative; an absolute one is still a valid location, as a file URI.
  const drive = /^([A-Za-z]):\//.exec(path);
  if (drive !== null) return { uri: `file:///${drive[1]}:/${pathToUri(path.slice(3))}` };
  if (path.startsWith('/')) return { uri: `file://${pathToUri(path)}` };
  const uri = pathToUri(path);
  return { uri: uri === '' ? '.' : uri, uriBaseId: '%SRCROOT%' };
}

function sarifLocation(location: Location): Sarif.Location {
  const physicalLocation: Sarif.PhysicalLocation = { artifactLocation: artifactLocation(location) };
  if (location !== null && 'path' in location && location.line !== undefined && location.line >= 1) {
    const region: Sarif.Region = { startLine: location.line };
    if (location.column !== undefined && location.column >= 1) region.startColumn = location.column;
    physicalLocation.region = region;
  }
  return { physicalLocation };
}

function nonEmpty(...candidates: (string | null | undefined)[]): string {
  for (const candidate of candidates) if (candidate !== undefined && candidate !== null && candidate.trim() !== '') return candidate;
  return '';
}

interface RuleInfo {
  meta: RuleMeta;
  aspect: Aspect;
  highest: Severity;
}

/** Metadata for a rule with no entry in `report.rules`, from what its first finding says. */
function fallbackMeta(finding: FindingRecord): RuleMeta {
  return {
    id: finding.rule,
    title: finding.rule,
    description: `Reported by the ${finding.probe} probe.`,
    defaultSeverity: finding.severity,
    remediation: finding.remediation ?? '',
  };
}

function descriptor(info: RuleInfo): Sarif.ReportingDescriptor {
  const { meta, aspect } = info;
  const title = nonEmpty(meta.title, meta.id, 'prodeng rule');
  const tags = [...new Set(['maintenance', aspect, ...(aspect === 'security' ? ['security'] : [])])];
  const properties: Sarif.PropertyBag = { tags, aspect };
  if (aspect === 'security') {
    const severity = severityRank(info.highest) > severityRank(meta.defaultSeverity) ? info.highest : meta.defaultSeverity;
    properties['security-severity'] = SECURITY_SEVERITY[severity];
  }
  const rule: Sarif.ReportingDescriptor = {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: title },
    fullDescription: { text: nonEmpty(meta.description, title) },
    help: { text: nonEmpty(meta.remediation, meta.description, title) },
    defaultConfiguration: { level: LEVELS[meta.defaultSeverity] },
    properties,
  };
  if (meta.helpUri !== undefined && isWebUrl(meta.helpUri)) rule.helpUri = encodeUrl(meta.helpUri);
  return rule;
}

function result(finding: FindingRecord, ruleIndex: number): Sarif.Result {
  const out: Sarif.Result = {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVELS[finding.severity],
    message: { text: nonEmpty(finding.message, finding.title, finding.rule) },
    locations: [sarifLocation(finding.location)],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    baselineState: finding.status === 'resolved' ? 'absent' : BASELINE[finding.status],
  };
  if (finding.suppressed !== undefined) {
    const until = finding.suppressed.until === null ? '' : ` (until ${finding.suppressed.until})`;
    out.suppressions = [{ kind: 'external', status: 'accepted', justification: `${finding.suppressed.reason}${until}` }];
  }
  out.properties = {
    severity: finding.severity,
    priority: finding.priority,
    system: finding.system,
    probe: finding.probe,
    aspect: finding.aspect,
    title: finding.title,
    status: finding.status,
    firstSeen: finding.firstSeen,
    lastSeen: finding.lastSeen,
    effort: finding.effort,
    data: toJsonValue(finding.data),
  };
  return out;
}

/** The SARIF log as an object (for callers that post-process it). */
export function toSarifLog(report: Report): Sarif.Log {
  const findings = report.findings.filter((finding) => finding.status !== 'resolved');

  // Rules in order of first appearance in the (ranked) results: the most pressing rule gets index 0.
  const rules = new Map<string, RuleInfo>();
  for (const finding of findings) {
    const known = rules.get(finding.rule);
    if (known === undefined) {
      // hasOwn: a rule id like `constructor` must not pick up Object.prototype members.
      const meta = (Object.hasOwn(report.rules, finding.rule) ? report.rules[finding.rule] : undefined) ?? fallbackMeta(finding);
      rules.set(finding.rule, { meta: { ...meta, id: finding.rule }, aspect: finding.aspect, highest: finding.severity });
    } else if (severityRank(finding.severity) > severityRank(known.highest)) {
      known.highest = finding.severity;
    }
  }
  const ruleIndex = new Map([...rules.keys()].map((id, index) => [id, index]));

  const failedOrPartial = report.snapshots.flatMap((snapshot) =>
    snapshot.probes.flatMap((run) =>
      run.errors.map(
        (error): Sarif.Notification => ({
          level: run.status === 'failed' ? 'error' : 'warning',
          message: { text: nonEmpty(`${snapshot.system}/${run.id}: ${error.message}`) },
          descriptor: { id: run.id },
          properties: {
            system: snapshot.system,
            probe: run.id,
            probeStatus: run.status,
            ...(error.code === undefined ? {} : { code: error.code }),
            ...(error.path === undefined ? {} : { path: error.path }),
          },
        }),
      ),
    ),
  );

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'prodeng',
        version: report.tool.version,
        informationUri: PRODENG_INFORMATION_URI,
        rules: [...rules.values()].map(descriptor),
      },
    },
    invocations: [
      {
        executionSuccessful: report.snapshots.every((snapshot) => snapshot.status !== 'failed'),
        toolExecutionNotifications: failedOrPartial,
      },
    ],
    results: findings.map((finding) => result(finding, ruleIndex.get(finding.rule) ?? 0)),
    properties: {
      generatedAt: report.generatedAt,
      systems: [...new Set(report.snapshots.map((snapshot) => snapshot.system))],
    },
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

export const sarifReporter: Reporter = {
  render(report) {
    return `${JSON.stringify(toSarifLog(report), null, 2)}\n`;
  },
};
