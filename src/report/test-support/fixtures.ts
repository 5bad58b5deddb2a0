/**
 * Hand-written reports for the reporter tests. Builders take overrides so each test states only
 * what it is about.
 */
import type { FindingRecord, MetricRecord, ProbeRunRecord, Report, RuleMeta, SnapshotRecord } from '../../core/model.js';

export const NOW = new Date('2024-06-01T12:00:00.000Z');

/** Text a repository could put in a TODO, a path or an author name to attack a reporter. */
export const HOSTILE = {
  script: '<script>alert(1)</script>',
  attribute: '"><img src=x onerror=alert(1)>',
  ansi: 'red \u001b[31mALERT\u001b[0m \u001b]0;pwned\u0007 \u009b2J',
  pipe: 'a | b || c',
  newline: 'first line\nsecond line\r\nthird',
  backtick: 'use `rm -rf /` now',
  link: '[click me](https://evil.example) ![pixel](https://evil.example/p.png)',
  mention: 'TODO(@alice): ask @org/team about #123',
  bidi: 'access\u202e\u2066 // check admin\u2069\u2066',
  cjk: '日本語のTODO：リトライ処理を追加',
} as const;

export function finding(overrides: Partial<FindingRecord> = {}): FindingRecord {
  return {
    fingerprint: 'f'.repeat(32),
    system: 'web-app',
    probe: 'todo',
    rule: 'todo/marker',
    aspect: 'code-health',
    severity: 'low',
    title: 'TODO: retry on 503',
    message: 'A TODO marker in src/http.ts.',
    location: { path: 'src/http.ts', line: 42 },
    status: 'open',
    firstSeen: '2024-05-20T12:00:00.000Z',
    lastSeen: '2024-06-01T11:00:00.000Z',
    data: { tag: 'TODO' },
    remediation: 'Do it or delete it.',
    effort: 'small',
    priority: 1,
    ...overrides,
  };
}

export function probeRun(overrides: Partial<ProbeRunRecord> = {}): ProbeRunRecord {
  return { id: 'todo', status: 'ok', durationMs: 120, errors: [], ...overrides };
}

export function snapshot(overrides: Partial<SnapshotRecord> = {}): SnapshotRecord {
  return {
    id: 'snap-1',
    system: 'web-app',
    startedAt: '2024-06-01T10:59:00.000Z',
    finishedAt: '2024-06-01T11:00:00.000Z',
    status: 'complete',
    revision: { commit: '0123456789abcdef0123456789abcdef01234567', branch: 'main' },
    probes: [probeRun()],
    ...overrides,
  };
}

export function metric(overrides: Partial<MetricRecord> = {}): MetricRecord {
  return { system: 'web-app', probe: 'todo', name: 'todo.count', value: 12, unit: 'markers', labels: { tag: 'TODO' }, ...overrides };
}

export const RULES: Record<string, RuleMeta> = {
  'todo/marker': {
    id: 'todo/marker',
    title: 'TODO/FIXME marker',
    description: 'A TODO, FIXME or HACK comment left in the code.',
    defaultSeverity: 'low',
    remediation: 'Do the work, file an issue, or delete the marker.',
    helpUri: 'https://example.com/probes/todo#todo-marker',
  },
  'deps/vulnerable': {
    id: 'deps/vulnerable',
    title: 'Vulnerable dependency',
    description: 'A dependency with a published security advisory.',
    defaultSeverity: 'high',
    remediation: 'Upgrade to a fixed version.',
  },
};

export function report(overrides: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    generatedAt: '2024-06-01T12:00:00.000Z',
    tool: { name: 'prodeng', version: '0.1.0' },
    snapshots: [snapshot()],
    findings: [finding()],
    metrics: [metric()],
    rules: RULES,
    ...overrides,
  };
}

export function emptyReport(): Report {
  return report({ snapshots: [], findings: [], metrics: [], rules: {} });
}

/** A realistic mixed report: several severities, statuses, a suppression, probe trouble. */
export function mixedReport(): Report {
  return report({
    snapshots: [
      snapshot({
        status: 'partial',
        probes: [
          probeRun({ id: 'todo', status: 'ok', durationMs: 120 }),
          probeRun({
            id: 'deps',
            status: 'partial',
            durationMs: 3200,
            errors: [{ message: 'could not parse lockfile', path: 'package-lock.json', code: 'EPARSE' }],
          }),
          probeRun({ id: 'audit', status: 'failed', durationMs: 1000, errors: [{ message: 'network unreachable' }] }),
          probeRun({ id: 'ci', status: 'skipped', durationMs: 0 }),
        ],
      }),
    ],
    findings: [
      finding({
        fingerprint: 'a'.repeat(32),
        probe: 'deps',
        rule: 'deps/vulnerable',
        aspect: 'security',
        severity: 'critical',
        title: 'lodash 4.17.20: prototype pollution (CVE-2021-23337)',
        location: { path: 'package.json', line: 12, column: 5 },
        status: 'new',
        firstSeen: '2021-06-01T12:00:00.000Z',
        data: { package: 'lodash', advisory: 'GHSA-35jh-r3h4-6jhm' },
        priority: 600,
      }),
      finding({ fingerprint: 'b'.repeat(32), severity: 'medium', title: 'FIXME: race on shutdown', status: 'reopened', priority: 20 }),
      finding({ fingerprint: 'c'.repeat(32), title: 'TODO: remove shim', location: null, priority: 5 }),
      finding({ fingerprint: 'd'.repeat(32), title: 'TODO: gone now', status: 'resolved', priority: 4 }),
      finding({
        fingerprint: 'e'.repeat(32),
        title: 'HACK: accepted for now',
        suppressed: { reason: 'vendored code', until: '2025-01-01' },
        priority: 3,
      }),
    ],
    metrics: [metric(), metric({ labels: { tag: 'FIXME' }, value: 3 }), metric({ name: 'deps.outdated', probe: 'deps', value: 0.5, unit: 'ratio', labels: {} })],
  });
}
