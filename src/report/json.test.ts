import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonReporter, toJsonReport } from './json.js';
import { reportArb } from './test-support/arbitraries.js';
import { HOSTILE, NOW, emptyReport, finding, mixedReport, report, snapshot } from './test-support/fixtures.js';
import { reportSchema, validateReport } from './test-support/validators.js';
import { readFileSync } from 'node:fs';
import type { Report } from '../core/model.js';

const options = { color: false, now: NOW };
const render = (value: Report) => jsonReporter.render(value, options);

describe('json reporter', () => {
  it('prints the documented document, two-space indented, with a final newline', () => {
    const text = render(mixedReport());
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "generatedAt": "2024-06-01T12:00:00.000Z",\n  "tool": {')).toBe(true);
    const document = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual(['schemaVersion', 'generatedAt', 'tool', 'snapshots', 'findings', 'metrics']);
    expect(document).not.toHaveProperty('rules');
    expect(validateReport(document)).toEqual([]);
  });

  it('keeps the field order of the contract', () => {
    const document = toJsonReport(mixedReport());
    expect(Object.keys(document.snapshots[0] ?? {})).toEqual([
      'id', 'system', 'startedAt', 'finishedAt', 'status', 'revision', 'probes',
    ]);
    expect(Object.keys(document.snapshots[0]?.probes[1] ?? {})).toEqual(['id', 'status', 'durationMs', 'errors']);
    expect(document.snapshots[0]?.probes[1]?.errors).toEqual([
      { message: 'could not parse lockfile', path: 'package-lock.json', code: 'EPARSE' },
    ]);
    const keys = [
      'fingerprint', 'system', 'probe', 'rule', 'aspect', 'severity', 'title', 'message', 'location', 'status',
      'firstSeen', 'lastSeen', 'data', 'remediation', 'effort',
    ];
    expect(Object.keys(document.findings[0] ?? {})).toEqual([...keys, 'priority']);
    const suppressed = document.findings.find((record) => record.suppressed !== undefined);
    expect(Object.keys(suppressed ?? {})).toEqual([...keys, 'suppressed', 'priority']);
    expect(suppressed?.suppressed).toEqual({ reason: 'vendored code', until: '2025-01-01' });
    expect(Object.keys(document.metrics[0] ?? {})).toEqual(['system', 'probe', 'name', 'value', 'unit', 'labels']);
  });

  it('keeps the ranked order and every finding, resolved and suppressed included', () => {
    const source = mixedReport();
    const document = toJsonReport(source);
    expect(document.findings.map((record) => record.fingerprint)).toEqual(source.findings.map((record) => record.fingerprint));
  });

  it('drops fields the contract does not have', () => {
    const sneaky = report({
      snapshots: [snapshot({ probes: [{ id: 'todo', status: 'ok', durationMs: 1, errors: [], extra: 1 } as never] })],
      findings: [finding({ location: { path: 'a.ts', line: undefined, secret: 'x' } as never, internal: true } as never)],
    });
    const document = JSON.parse(render(sneaky)) as { findings: Record<string, unknown>[]; snapshots: { probes: object[] }[] };
    expect(document.findings[0]?.location).toEqual({ path: 'a.ts' });
    expect(document.findings[0]).not.toHaveProperty('internal');
    expect(document.snapshots[0]?.probes[0]).not.toHaveProperty('extra');
    expect(validateReport(document)).toEqual([]);
  });

  it('makes any probe data serialisable', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    const odd = report({
      findings: [
        finding({
          data: {
            big: 12345678901234567890n,
            when: new Date('2024-01-01T00:00:00Z'),
            missing: undefined,
            notANumber: Number.NaN,
            list: [1, undefined, 'x'],
            circular,
            ['__proto__']: 'not a prototype',
          },
        }),
      ],
      snapshots: [snapshot({ probes: [{ id: 'todo', status: 'ok', durationMs: 1, errors: [], facts: { count: 2n } }] })],
      metrics: [
        { system: 'web-app', probe: 'todo', name: 'ratio', value: Number.NaN, unit: '', labels: {} },
        { system: 'web-app', probe: 'todo', name: 'ok', value: 1, unit: '', labels: {} },
      ],
    });
    const document = JSON.parse(render(odd)) as { findings: { data: Record<string, unknown> }[]; metrics: { name: string }[] };
    expect(document.findings[0]?.data).toEqual({
      big: '12345678901234567890',
      when: '2024-01-01T00:00:00.000Z',
      notANumber: null,
      list: [1, null, 'x'],
      circular: { name: 'loop', self: '[Circular]' },
      ['__proto__']: 'not a prototype',
    });
    expect(Object.hasOwn(document.findings[0]?.data ?? {}, '__proto__')).toBe(true);
    // Non-finite metrics carry no information and would break the number contract.
    expect(document.metrics.map((m) => m.name)).toEqual(['ok']);
    expect(validateReport(document)).toEqual([]);
  });

  it('carries hostile text verbatim (JSON escaping is the consumer-safe form)', () => {
    const hostile = report({ findings: Object.values(HOSTILE).map((title, index) => finding({ title, fingerprint: String(index) })) });
    const text = render(hostile);
    expect(text).not.toContain('\u001b');
    const document = JSON.parse(text) as { findings: { title: string }[] };
    expect(document.findings.map((record) => record.title)).toEqual(Object.values(HOSTILE));
    expect(validateReport(document)).toEqual([]);
  });

  it('renders an empty report', () => {
    const document = JSON.parse(render(emptyReport())) as unknown;
    expect(document).toEqual({
      schemaVersion: 1,
      generatedAt: '2024-06-01T12:00:00.000Z',
      tool: { name: 'prodeng', version: '0.1.0' },
      snapshots: [],
      findings: [],
      metrics: [],
    });
    expect(validateReport(document)).toEqual([]);
  });

  it('is rejected by the schema when the contract is broken', () => {
    const good = toJsonReport(mixedReport());
    expect(validateReport({ ...good, extra: 1 })).not.toEqual([]);
    expect(validateReport({ ...good, schemaVersion: 2 })).not.toEqual([]);
    expect(validateReport({ ...good, findings: [{ ...good.findings[0], severity: 'urgent' }] })).not.toEqual([]);
    expect(validateReport({ ...good, findings: [{ ...good.findings[0], location: { path: 'a', line: 0 } }] })).not.toEqual([]);
    expect(validateReport({ ...good, generatedAt: 'yesterday' })).not.toEqual([]);
    const { priority: _priority, ...withoutPriority } = good.findings[0] ?? finding();
    expect(validateReport({ ...good, findings: [withoutPriority] })).not.toEqual([]);
    // Open where the contract is open.
    expect(validateReport({ ...good, findings: [{ ...good.findings[0], data: { anything: [1, { deep: true }] } }] })).toEqual([]);
  });

  it('always validates against schemas/report.v1.json and round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(reportArb, (generated) => {
        const text = render(generated);
        expect(text.endsWith('\n')).toBe(true);
        const document = JSON.parse(text) as unknown;
        expect(validateReport(document)).toEqual([]);
        expect(`${JSON.stringify(document, null, 2)}\n`).toBe(text);
        const typed = document as ReturnType<typeof toJsonReport>;
        expect(typed.findings.map((record) => record.fingerprint)).toEqual(generated.findings.map((record) => record.fingerprint));
        expect(typed.findings.map((record) => record.title)).toEqual(generated.findings.map((record) => record.title));
      }),
      { numRuns: 200 },
    );
  });

  it('documents a valid example and every field of the schema in docs/report-format.md', () => {
    const doc = readFileSync(new URL('../../docs/report-format.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    expect(validateReport(JSON.parse(example ?? 'null'))).toEqual([]);
    const defs = (reportSchema as { $defs: Record<string, { properties?: Record<string, unknown> }> }).$defs;
    for (const name of ['snapshot', 'probeRun', 'finding', 'metric']) {
      for (const field of Object.keys(defs[name]?.properties ?? {})) expect(doc).toContain(`| \`${field}\``);
    }
  });
});
