/**
 * fast-check arbitraries of {@link Report}: any shape the model's types allow, with text drawn from
 * all of Unicode, CJK, and the hostile strings of the fixtures, so the property tests exercise the
 * escaping as much as the structure.
 */
import fc from 'fast-check';
import { ASPECTS, EFFORTS, SEVERITIES } from '../../core/model.js';
import type {
  FindingRecord,
  Location,
  MetricRecord,
  ProbeError,
  ProbeRunRecord,
  Report,
  RuleMeta,
  SnapshotRecord,
} from '../../core/model.js';
import { HOSTILE } from './fixtures.js';

const SPICY_UNITS = ['<', '>', '|', '`', '\n', '\r', '\t', '\u001b', '\u009b', '\u202e', '日', '本', 'ｱ', '한', '👍', '\u0301', '@', '#', '[', ']', '&', '\\', '*', '_', '$', '%', ' ', 'a', '1', '/'];

export const textArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.constantFrom(...SPICY_UNITS), maxLength: 40 }),
  fc.constantFrom(...Object.values(HOSTILE)),
);

const instantArb = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

const ruleIdArb = fc.oneof(fc.constantFrom('todo/marker', 'deps/vulnerable', 'ci/slow-build', 'x/日本語', '', 'a b/c|d', 'constructor', '__proto__'), textArb);

/** Real URLs, URL-shaped junk (`https://h/##|^[`) and plain text that is no URL at all. */
function urlArb(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.webUrl({ withFragments: true, withQueryParameters: true }),
    fc.string({ unit: fc.constantFrom(...SPICY_UNITS, ':', '?', '#', '[', ']', '^', '{', '}', '"', "'"), maxLength: 20 }).map((tail) => `https://h.example/${tail}`),
    fc.constantFrom('http://[::1]:8080/a b', 'mailto:a@b.c', 'urn:x:y', 'file:///C:/a%zz', 'javascript:alert(1)'),
    textArb,
  );
}

const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

const locationArb: fc.Arbitrary<Location> = fc.oneof(
  fc.constant(null),
  fc
    .tuple(textArb, optional(fc.integer({ min: 1, max: 1_000_000 })), optional(fc.integer({ min: 1, max: 10_000 })))
    .map(([path, line, column]) => ({
      path,
      ...(line === undefined ? {} : { line }),
      ...(column === undefined ? {} : { column }),
    })),
  urlArb().map((url) => ({ url })),
);

const probeErrorArb: fc.Arbitrary<ProbeError> = fc
  .tuple(textArb, optional(textArb), optional(textArb))
  .map(([message, path, code]) => ({
    message,
    ...(path === undefined ? {} : { path }),
    ...(code === undefined ? {} : { code }),
  }));

const probeRunArb: fc.Arbitrary<ProbeRunRecord> = fc
  .tuple(
    textArb,
    fc.constantFrom('ok', 'partial', 'failed', 'skipped' as const),
    fc.integer({ min: 0, max: 10_000_000 }),
    fc.array(probeErrorArb, { maxLength: 3 }),
    optional(fc.jsonValue()),
  )
  .map(([id, status, durationMs, errors, facts]) => ({ id, status, durationMs, errors, ...(facts === undefined ? {} : { facts }) }));

const snapshotArb = (system: fc.Arbitrary<string>): fc.Arbitrary<SnapshotRecord> =>
  fc.record({
    id: textArb,
    system,
    startedAt: instantArb,
    finishedAt: instantArb,
    status: fc.constantFrom('complete', 'partial', 'failed' as const),
    revision: fc.option(fc.record({ commit: fc.oneof(fc.stringMatching(/^[0-9a-f]{40}$/), textArb), branch: fc.option(textArb) })),
    probes: fc.array(probeRunArb, { maxLength: 4 }),
  });

const findingArb = (system: fc.Arbitrary<string>): fc.Arbitrary<FindingRecord> =>
  fc
    .tuple(
      fc.record({
        fingerprint: fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), textArb),
        system,
        probe: textArb,
        rule: ruleIdArb,
        aspect: fc.constantFrom(...ASPECTS),
        severity: fc.constantFrom(...SEVERITIES),
        title: textArb,
        message: textArb,
        location: locationArb,
        status: fc.constantFrom('new', 'open', 'resolved', 'reopened' as const),
        firstSeen: instantArb,
        lastSeen: instantArb,
        data: fc.dictionary(textArb, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
        remediation: fc.option(textArb),
        effort: fc.option(fc.constantFrom(...EFFORTS)),
        priority: fc.double({ min: 0, max: 1e6, noNaN: true }),
      }),
      optional(fc.record({ reason: textArb, until: fc.option(textArb) })),
    )
    .map(([record, suppressed]) => (suppressed === undefined ? record : { ...record, suppressed }));

const metricArb = (system: fc.Arbitrary<string>): fc.Arbitrary<MetricRecord> =>
  fc.record({
    system,
    probe: textArb,
    name: textArb,
    // Any double, NaN and infinities included: reporters must cope with what a probe may emit.
    value: fc.double(),
    unit: textArb,
    labels: fc.dictionary(textArb, textArb, { maxKeys: 3 }),
  });

const ruleMetaArb: fc.Arbitrary<Omit<RuleMeta, 'id'>> = fc
  .tuple(textArb, textArb, fc.constantFrom(...SEVERITIES), textArb, optional(urlArb()))
  .map(([title, description, defaultSeverity, remediation, helpUri]) => ({
    title,
    description,
    defaultSeverity,
    remediation,
    ...(helpUri === undefined ? {} : { helpUri }),
  }));

/** Reports with a few systems (shared between snapshots, findings and metrics) and partial rule metadata. */
export const reportArb: fc.Arbitrary<Report> = fc
  .array(fc.oneof(fc.constantFrom('web-app', '基幹システム'), textArb), { minLength: 1, maxLength: 3 })
  .chain((systems) => {
    const system = fc.constantFrom(...systems);
    return fc.record({
      generatedAt: instantArb,
      version: fc.oneof(fc.constant('0.1.0'), textArb),
      snapshots: fc.array(snapshotArb(system), { maxLength: 3 }),
      findings: fc.array(findingArb(system), { maxLength: 12 }),
      metrics: fc.array(metricArb(system), { maxLength: 5 }),
      ruleMetas: fc.array(ruleMetaArb, { minLength: 0, maxLength: 12 }),
    });
  })
  .map(({ generatedAt, version, snapshots, findings, metrics, ruleMetas }): Report => {
    // Rule metadata for some of the rules used (every other one), so the fallback path is exercised.
    const rules: Record<string, RuleMeta> = {};
    const ids = [...new Set(findings.map((finding) => finding.rule))];
    ids.forEach((id, index) => {
      const meta = ruleMetas[index];
      if (index % 2 === 0 && meta !== undefined) Object.defineProperty(rules, id, { value: { id, ...meta }, enumerable: true });
    });
    return { schemaVersion: 1, generatedAt, tool: { name: 'prodeng', version }, snapshots, findings, metrics, rules };
  });
