/**
 * The JSON report: prodeng's public contract for other tools (docs/report-format.md, validated by
 * schemas/report.v1.json). Every object is rebuilt field by field, so the output carries exactly
 * the documented fields in the documented order, whatever extra properties the in-memory records
 * happen to have (`rules` is internal and dropped).
 */
import type {
  FindingRecord,
  Location,
  MetricRecord,
  ProbeError,
  ProbeRunRecord,
  Report,
  SnapshotRecord,
} from '../core/model.js';
import type { Reporter } from './reporter.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The JSON report document, `schemaVersion` 1. */
export interface JsonReport {
  schemaVersion: 1;
  generatedAt: string;
  tool: { name: string; version: string };
  snapshots: JsonSnapshot[];
  findings: JsonFinding[];
  metrics: MetricRecord[];
}

export interface JsonSnapshot extends Omit<SnapshotRecord, 'probes'> {
  probes: ProbeRunRecord[];
}

export type JsonFinding = FindingRecord;

function probeError(error: ProbeError): ProbeError {
  const out: ProbeError = { message: error.message };
  if (error.path !== undefined) out.path = error.path;
  if (error.code !== undefined) out.code = error.code;
  return out;
}

function probeRun(run: ProbeRunRecord): ProbeRunRecord {
  const out: ProbeRunRecord = {
    id: run.id,
    status: run.status,
    durationMs: run.durationMs,
    errors: run.errors.map(probeError),
  };
  if (run.facts !== undefined) out.facts = toJsonValue(run.facts);
  return out;
}

function snapshot(record: SnapshotRecord): JsonSnapshot {
  return {
    id: record.id,
    system: record.system,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    status: record.status,
    revision: record.revision === null ? null : { commit: record.revision.commit, branch: record.revision.branch },
    probes: record.probes.map(probeRun),
  };
}

function location(value: Location): Location {
  if (value === null) return null;
  if ('url' in value) return { url: value.url };
  const out: { path: string; line?: number; column?: number } = { path: value.path };
  if (value.line !== undefined) out.line = value.line;
  if (value.column !== undefined) out.column = value.column;
  return out;
}

function finding(record: FindingRecord): JsonFinding {
  const out: JsonFinding = {
    fingerprint: record.fingerprint,
    system: record.system,
    probe: record.probe,
    rule: record.rule,
    aspect: record.aspect,
    severity: record.severity,
    title: record.title,
    message: record.message,
    location: location(record.location),
    status: record.status,
    firstSeen: record.firstSeen,
    lastSeen: record.lastSeen,
    data: toJsonObject(record.data),
    remediation: record.remediation,
    effort: record.effort,
    priority: record.priority,
  };
  if (record.suppressed !== undefined) {
    // Insert before `priority` to keep the documented order.
    const { priority, ...rest } = out;
    return { ...rest, suppressed: { reason: record.suppressed.reason, until: record.suppressed.until }, priority };
  }
  return out;
}

function metric(record: MetricRecord): MetricRecord {
  return {
    system: record.system,
    probe: record.probe,
    name: record.name,
    value: record.value,
    unit: record.unit,
    labels: { ...record.labels },
  };
}

/**
 * Probe data and facts are `unknown`; make them plain JSON so the output never throws (bigint) nor
 * silently changes meaning: bigints become strings, non-finite numbers `null`, `undefined` and
 * functions are dropped as `JSON.stringify` would, objects with `toJSON` (Date, URL) use it.
 */
export function toJsonValue(value: unknown, seen: Set<object> = new Set()): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
    default:
      break;
  }
  if (value === null) return null;
  const object = value as object;
  if (seen.has(object)) return '[Circular]';
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    return toJsonValue((object as { toJSON(): unknown }).toJSON(), seen);
  }
  seen.add(object);
  try {
    if (Array.isArray(object)) return object.map((item) => toJsonValue(item, seen));
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(object)) {
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      // defineProperty, not assignment: a `__proto__` key must stay data, not change the prototype.
      Object.defineProperty(out, key, { value: toJsonValue(item, seen), enumerable: true, writable: true, configurable: true });
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

function toJsonObject(value: Record<string, unknown>): Record<string, Json> {
  const json = toJsonValue(value);
  return json !== null && typeof json === 'object' && !Array.isArray(json) ? json : {};
}

/** The report as the plain JSON document (for callers that want the object, not the text). */
export function toJsonReport(report: Report): JsonReport {
  return {
    schemaVersion: 1,
    generatedAt: report.generatedAt,
    tool: { name: report.tool.name, version: report.tool.version },
    snapshots: report.snapshots.map(snapshot),
    findings: report.findings.map(finding),
    // A metric must be a number; NaN/Infinity would serialise as null and break the contract, and
    // carry no information, so they are left out.
    metrics: report.metrics.filter((record) => Number.isFinite(record.value)).map(metric),
  };
}

export const jsonReporter: Reporter = {
  render(report) {
    return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
  },
};
