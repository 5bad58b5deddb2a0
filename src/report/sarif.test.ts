import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type * as Sarif from 'sarif';
import { pascalCase, sarifReporter, toSarifLog } from './sarif.js';
import { reportArb } from './test-support/arbitraries.js';
import { HOSTILE, NOW, RULES, emptyReport, finding, mixedReport, report } from './test-support/fixtures.js';
import { validateSarif } from './test-support/validators.js';
import type { Report, Severity } from '../core/model.js';

const render = (value: Report): Sarif.Log => JSON.parse(sarifReporter.render(value, { color: false, now: NOW })) as Sarif.Log;
const runOf = (log: Sarif.Log): Sarif.Run => {
  const run = log.runs[0];
  if (run === undefined) throw new Error('no run');
  return run;
};

describe('sarif reporter', () => {
  it('is a valid SARIF 2.1.0 log with one run of the prodeng driver', () => {
    const log = render(mixedReport());
    expect(validateSarif(log)).toEqual([]);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = runOf(log).tool.driver;
    expect(driver.name).toBe('prodeng');
    expect(driver.version).toBe('0.1.0');
    expect(driver.informationUri).toMatch(/^https:\/\//);
    expect(sarifReporter.render(mixedReport(), { color: false, now: NOW }).endsWith('}\n')).toBe(true);
  });

  it('describes every rule used by a result', () => {
    const rules = runOf(render(mixedReport())).tool.driver.rules ?? [];
    expect(rules.map((rule) => rule.id)).toEqual(['deps/vulnerable', 'todo/marker']);
    expect(rules[1]).toEqual({
      id: 'todo/marker',
      name: 'TodoMarker',
      shortDescription: { text: 'TODO/FIXME marker' },
      fullDescription: { text: 'A TODO, FIXME or HACK comment left in the code.' },
      help: { text: 'Do the work, file an issue, or delete the marker.' },
      helpUri: 'https://example.com/probes/todo#todo-marker',
      defaultConfiguration: { level: 'note' },
      properties: { tags: ['maintenance', 'code-health'], aspect: 'code-health' },
    });
    // A security rule carries GitHub's security-severity; the critical result lifts the high default.
    expect(rules[0]?.properties).toEqual({ tags: ['maintenance', 'security'], aspect: 'security', 'security-severity': '9.5' });
    expect(rules[0]?.defaultConfiguration).toEqual({ level: 'error' });
    expect(rules[0]).not.toHaveProperty('helpUri');
  });

  it('maps severities to levels and security-severity scores', () => {
    const expected: Record<Severity, [string, string]> = {
      critical: ['error', '9.5'],
      high: ['error', '8.0'],
      medium: ['warning', '5.5'],
      low: ['note', '3.0'],
      info: ['note', '0.0'],
    };
    for (const [severity, [level, score]] of Object.entries(expected) as [Severity, [string, string]][]) {
      const log = render(
        report({
          findings: [finding({ rule: 'sec/x', aspect: 'security', severity })],
          rules: { 'sec/x': { id: 'sec/x', title: 'X', description: 'x', defaultSeverity: severity, remediation: 'fix' } },
        }),
      );
      expect(runOf(log).results?.[0]?.level).toBe(level);
      expect(runOf(log).tool.driver.rules?.[0]?.properties?.['security-severity']).toBe(score);
      expect(validateSarif(log)).toEqual([]);
    }
  });

  it('turns findings into results with locations, fingerprints, baseline state and properties', () => {
    const results = runOf(render(mixedReport())).results ?? [];
    // Resolved findings are left out: code scanning closes alerts that are no longer uploaded.
    expect(results).toHaveLength(4);
    expect(results.map((result) => result.partialFingerprints?.['prodeng/v1'])).not.toContain('d'.repeat(32));
    const [critical, reopened, nowhere, suppressed] = results;
    expect(critical).toMatchObject({
      ruleId: 'deps/vulnerable',
      ruleIndex: 0,
      level: 'error',
      message: { text: 'A TODO marker in src/http.ts.' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'package.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 12, startColumn: 5 } } }],
      partialFingerprints: { 'prodeng/v1': 'a'.repeat(32) },
      baselineState: 'new',
      properties: {
        severity: 'critical',
        priority: 600,
        system: 'web-app',
        data: { package: 'lodash', advisory: 'GHSA-35jh-r3h4-6jhm' },
      },
    });
    expect(reopened).toMatchObject({ ruleIndex: 1, level: 'warning', baselineState: 'new' });
    expect(reopened?.locations?.[0]?.physicalLocation?.region).toEqual({ startLine: 42 });
    // No location: the system root, so GitHub still gets one.
    expect(nowhere?.baselineState).toBe('unchanged');
    expect(nowhere?.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: '.', uriBaseId: '%SRCROOT%' } } }]);
    expect(suppressed?.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'vendored code (until 2025-01-01)' }]);
    expect(critical).not.toHaveProperty('suppressions');
  });

  it('encodes paths and URLs as URI references', () => {
    const log = render(
      report({
        findings: [
          finding({ fingerprint: '1', location: { path: 'src/日本語/リトライ処理.ts', line: 3 } }),
          finding({ fingerprint: '2', location: { path: 'dir with space/100%.ts' } }),
          finding({ fingerprint: '3', location: { url: 'https://ci.example.com/jobs/42?tab=log#L10' } }),
          finding({ fingerprint: '4', location: { path: './windows\\style\\path.ts', line: 1, column: 2 } }),
          finding({ fingerprint: '5', location: { path: HOSTILE.attribute } }),
          finding({ fingerprint: '6', location: { url: 'not a url <at all>' } }),
          finding({ fingerprint: '7', location: { url: 'javascript:alert(1)' } }),
          finding({ fingerprint: '8', location: { url: 'https://h.example/a|b##c' } }),
          finding({ fingerprint: '9', location: { path: 'C:\\work\\repo\\a b.ts' } }),
          finding({ fingerprint: '10', location: { path: '/srv/repo/x.ts' } }),
        ],
      }),
    );
    expect(validateSarif(log)).toEqual([]);
    const uris = (runOf(log).results ?? []).map((result) => result.locations?.[0]?.physicalLocation?.artifactLocation);
    expect(uris).toEqual([
      { uri: 'src/%E6%97%A5%E6%9C%AC%E8%AA%9E/%E3%83%AA%E3%83%88%E3%83%A9%E3%82%A4%E5%87%A6%E7%90%86.ts', uriBaseId: '%SRCROOT%' },
      { uri: 'dir%20with%20space/100%25.ts', uriBaseId: '%SRCROOT%' },
      { uri: 'https://ci.example.com/jobs/42?tab=log#L10' },
      { uri: 'windows/style/path.ts', uriBaseId: '%SRCROOT%' },
      { uri: '%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', uriBaseId: '%SRCROOT%' },
      { uri: 'not%20a%20url%20%3Cat%20all%3E' },
      // Only web URLs stay links.
      { uri: 'javascript%3Aalert(1)' },
      { uri: 'https://h.example/a%7Cb#%23c' },
      // Absolute paths (against the contract, but possible) become file URIs.
      { uri: 'file:///C:/work/repo/a%20b.ts' },
      { uri: 'file:///srv/repo/x.ts' },
    ]);
  });

  it('builds minimal rule metadata when the report has none', () => {
    const log = render(report({ findings: [finding({ rule: 'ci/slow-build', probe: 'ci', aspect: 'ci', remediation: null })], rules: {} }));
    expect(validateSarif(log)).toEqual([]);
    expect(runOf(log).tool.driver.rules).toEqual([
      {
        id: 'ci/slow-build',
        name: 'CiSlowBuild',
        shortDescription: { text: 'ci/slow-build' },
        fullDescription: { text: 'Reported by the ci probe.' },
        help: { text: 'Reported by the ci probe.' },
        defaultConfiguration: { level: 'note' },
        properties: { tags: ['maintenance', 'ci'], aspect: 'ci' },
      },
    ]);
    // `constructor` is a rule id, not Object.prototype.constructor.
    const odd = render(report({ findings: [finding({ rule: 'constructor' })], rules: {} }));
    expect(validateSarif(odd)).toEqual([]);
    expect(runOf(odd).tool.driver.rules?.[0]?.shortDescription?.text).toBe('constructor');
  });

  it('reports probe errors as tool execution notifications', () => {
    const invocation = runOf(render(mixedReport())).invocations?.[0];
    expect(invocation?.executionSuccessful).toBe(true);
    expect(invocation?.toolExecutionNotifications?.map((notification) => [notification.level, notification.message.text])).toEqual([
      ['warning', 'web-app/deps: could not parse lockfile'],
      ['error', 'web-app/audit: network unreachable'],
    ]);
  });

  it('keeps hostile text as data', () => {
    const log = render(report({ findings: Object.values(HOSTILE).map((title, index) => finding({ fingerprint: String(index), title, message: title })) }));
    expect(validateSarif(log)).toEqual([]);
    expect((runOf(log).results ?? []).map((result) => result.message.text)).toEqual(Object.values(HOSTILE));
  });

  it('renders an empty report', () => {
    const log = render(emptyReport());
    expect(validateSarif(log)).toEqual([]);
    expect(runOf(log).results).toEqual([]);
    expect(runOf(log).tool.driver.rules).toEqual([]);
  });

  it('names rules in PascalCase', () => {
    expect(pascalCase('todo/marker')).toBe('TodoMarker');
    expect(pascalCase('deps/outdated-major')).toBe('DepsOutdatedMajor');
    expect(pascalCase('x/日本語')).toBe('X日本語');
    expect(pascalCase('//')).toBe('Rule');
  });

  it('validates against the SARIF 2.1.0 schema for any report', () => {
    fc.assert(
      fc.property(reportArb, (generated) => {
        const log = toSarifLog(generated);
        const parsed = render(generated);
        expect(validateSarif(parsed)).toEqual([]);
        expect(parsed).toEqual(JSON.parse(JSON.stringify(log)));
        const run = runOf(parsed);
        const rules = run.tool.driver.rules ?? [];
        const results = run.results ?? [];
        expect(results).toHaveLength(generated.findings.filter((record) => record.status !== 'resolved').length);
        expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
        for (const result of results) {
          expect(rules[result.ruleIndex ?? -1]?.id).toBe(result.ruleId);
          expect(result.locations?.length).toBeGreaterThanOrEqual(1);
          expect(result.message.text?.length ?? 0).toBeGreaterThanOrEqual(0);
          expect(result.baselineState).not.toBe('absent');
        }
      }),
      { numRuns: 200 },
    );
  });
});

// Keep the fixtures' rule table in use so a rename there shows up here.
void RULES;
