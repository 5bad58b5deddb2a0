import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import type { AnyProbe } from '../core/probe.js';
import { fakeProbe as makeFakeProbe, OK_RESULT } from '../core/test-support/probe.js';
import { ConfigError, DEFAULT_SCHEDULE, localTimeZone, parseConfig, type ConfigIssue } from './load.js';

const fakeProbe: AnyProbe = makeFakeProbe(async () => OK_RESULT, {
  configSchema: z
    .object({ tags: z.array(z.string()).default(['TODO']), limit: z.number().int().positive().default(5) })
    .strict(),
});

function issuesOf(text: string): ConfigIssue[] {
  try {
    parseConfig(text, '/work/prodeng.yml', [fakeProbe]);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('resolves systems, repo paths and probe defaults', () => {
    const config = parseConfig('systems:\n  - name: web\n    repo: ./web\n', '/work/prodeng.yml', [fakeProbe]);
    expect(config.systems).toHaveLength(1);
    expect(config.systems[0]!.sources.repo).toBe('/work/web');
    expect(config.systems[0]!.probes.get('fake')).toEqual({ enabled: true, config: { tags: ['TODO'], limit: 5 } });
    expect(config.timeoutMs).toBe(600_000);
  });

  it('lays system probe options over global ones and can disable a probe', () => {
    const config = parseConfig(
      'probes:\n  fake:\n    limit: 9\nsystems:\n  - name: a\n    repo: a\n    probes:\n      fake:\n        tags: [FIXME]\n  - name: b\n    repo: b\n    probes:\n      fake: false\n',
      '/w/prodeng.yml',
      [fakeProbe],
    );
    expect(config.systems[0]!.probes.get('fake')).toEqual({ enabled: true, config: { tags: ['FIXME'], limit: 9 } });
    expect(config.systems[1]!.probes.get('fake')).toEqual({ enabled: false });
  });

  it('names file, line, column and key of a wrong type', () => {
    const [issue] = issuesOf('systems:\n  - name: web\n    repo: 42\n');
    expect(issue).toMatchObject({ file: expect.stringContaining('prodeng.yml'), line: 3, column: 11, key: 'systems[0].repo' });
    expect(issue!.message).toMatch(/expected string/);
  });

  it('refuses system names that cannot be a URL path segment', () => {
    for (const name of ['"."', '".."']) {
      const [issue] = issuesOf(`systems:\n  - name: ${name}\n`);
      expect(issue).toMatchObject({ key: 'systems[0].name', line: 2 });
      expect(issue!.message).toContain('other than "." or ".."');
    }
  });

  it('rejects unknown keys with a suggestion, at the key', () => {
    const [issue] = issuesOf('systems:\n  - name: web\n    rep: .\n');
    expect(issue).toMatchObject({ line: 3, column: 5, key: 'systems[0].rep' });
    expect(issue!.message).toContain('did you mean "repo"');
  });

  it('validates probe options with the probe schema and points into the system override', () => {
    const issues = issuesOf('systems:\n  - name: web\n    repo: .\n    probes:\n      fake:\n        limit: -1\n        tgas: [x]\n');
    expect(issues.map((i) => i.key).sort()).toEqual(['systems[0].probes.fake.limit', 'systems[0].probes.fake.tgas']);
    expect(issues.find((i) => i.key.endsWith('tgas'))!.message).toContain('did you mean "tags"');
    expect(issues.find((i) => i.key.endsWith('limit'))!.line).toBe(6);
  });

  it('rejects an unknown probe and lists the known ones', () => {
    const [issue] = issuesOf('probes:\n  fak: {}\n');
    expect(issue!.message).toMatch(/unknown probe "fak" \(did you mean "fake"\?\); known probes: fake/);
    expect(issue!.line).toBe(2);
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    expect(issuesOf('systems:\n  - name: [unclosed\n')[0]!.line).toBeGreaterThan(0);
    const [dup] = issuesOf('timeout: 5\ntimeout: 6\n');
    expect(dup!.line).toBe(2);
  });

  it('refuses alias bombs', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    expect(() => parseConfig(bomb.join('\n'), '/w/prodeng.yml', [fakeProbe])).toThrow(ConfigError);
  });

  it('requires a reason and a fingerprint or rule on ignore entries, and a real date', () => {
    const issues = issuesOf('ignore:\n  - path: "x/**"\n    until: 2026-02-30\n');
    const text = issues.map((i) => `${i.key}: ${i.message}`).join('\n');
    expect(text).toContain('ignore[0].reason');
    expect(text).toContain('ignore[0].until');
    expect(text).toMatch(/needs a fingerprint, a rule or an advisory id/);
  });

  it('records where each ignore entry was written', () => {
    const config = parseConfig(
      'systems:\n  - name: a\n    repo: .\nignore:\n  - rule: fake/x\n    reason: noise\n    until: 2027-01-01\n',
      '/w/prodeng.yml',
      [fakeProbe],
    );
    expect(config.systems[0]!.ignores[0]).toMatchObject({ rule: 'fake/x', until: '2027-01-01', source: { line: 5 } });
  });

  it('rejects duplicate system names', () => {
    const [issue] = issuesOf('systems:\n  - name: a\n  - name: a\n');
    expect(issue).toMatchObject({ key: 'systems[1].name', line: 3 });
  });

  it('rejects a document that is not a mapping', () => {
    expect(issuesOf('- a\n- b\n')[0]!.message).toMatch(/expected a mapping/);
  });

  it('never throws anything but ConfigError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseConfig(text, '/w/prodeng.yml', [fakeProbe]);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          for (const issue of error.issues) expect(issue.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('endpoints', () => {
  it('accept URL strings and objects with an SNI name, and reject other schemes', () => {
    const config = parseConfig(
      'systems:\n  - name: web\n    endpoints:\n      - https://127.0.0.1:8443/health\n      - url: tls://10.0.0.5:5432\n        sni: db.internal\n',
      '/w/prodeng.yml',
      [fakeProbe],
    );
    expect(config.systems[0]!.sources.endpoints).toEqual([{ url: 'https://127.0.0.1:8443/health' }, { url: 'tls://10.0.0.5:5432', sni: 'db.internal' }]);
    const [issue] = issuesOf('systems:\n  - name: web\n    endpoints: [ftp://example.com]\n');
    expect(issue).toMatchObject({ key: 'systems[0].endpoints[0]', line: 3 });
    expect(issue!.message).toContain('expected an https://host[:port][/path]');
    expect(issuesOf('systems:\n  - name: web\n    endpoints: ["tls://example.com"]\n')[0]!.message).toContain('tls://host:port');
  });

  it('give an endpoint target on the command line the system that lists it, or its own', () => {
    const config = parseConfig('systems:\n  - name: web\n    endpoints: [https://shop.example:8443]\n', '/w/prodeng.yml', [fakeProbe]);
    expect(config.endpointSystem('https://shop.example:8443').name).toBe('web');
    expect(config.endpointSystem('https://127.0.0.1:9443/x')).toMatchObject({ name: '127.0.0.1:9443', sources: { endpoints: [{ url: 'https://127.0.0.1:9443/x' }] } });
  });
});

describe('schedule', () => {
  it('defaults to daily at 06:00 in the machine zone, two runs at once', () => {
    const config = parseConfig('systems:\n  - name: web\n', '/w/prodeng.yml', [fakeProbe]);
    expect(config.schedule).toEqual({ cron: DEFAULT_SCHEDULE, timezone: localTimeZone() });
    expect(DEFAULT_SCHEDULE).toBe('0 6 * * *');
    expect(config.systems[0]!.schedule).toEqual(config.schedule);
    expect(config.concurrentRuns).toBe(2);
  });

  it('takes a top-level default, a per-system override, a zone each, and off or false for none', () => {
    const config = parseConfig(
      [
        'schedule: "15 3 * * 1-5"',
        'timezone: utc',
        'concurrentRuns: 4',
        'systems:',
        '  - name: a',
        '  - name: b',
        '    schedule: "@hourly"',
        '    timezone: America/New_York',
        '  - name: c',
        '    schedule: off',
        '  - name: d',
        '    schedule: false',
        '',
      ].join('\n'),
      '/w/prodeng.yml',
      [fakeProbe],
    );
    expect(config.concurrentRuns).toBe(4);
    expect(config.systems.map((s) => s.schedule)).toEqual([
      { cron: '15 3 * * 1-5', timezone: 'UTC' },
      { cron: '@hourly', timezone: 'America/New_York' },
      { cron: null, timezone: 'UTC' },
      { cron: null, timezone: 'UTC' },
    ]);
    // Systems named on the command line are not scheduled.
    expect(config.systemFor('x', '/x').schedule).toBeUndefined();
  });

  it('names file, line, column and key of an invalid cron expression and says what is expected', () => {
    const [issue] = issuesOf('systems:\n  - name: web\n    schedule: "61 6 * * *"\n');
    expect(issue).toMatchObject({ line: 3, column: 15, key: 'systems[0].schedule' });
    expect(issue!.message).toBe(
      '"61 6 * * *" is not a cron expression (Invalid value for minute: 61); expected five fields "minute hour day-of-month month day-of-week" such as "0 6 * * *" (daily at 06:00), or off',
    );
    expect(issuesOf('schedule: "0 6 * * * *"\n')[0]).toMatchObject({ key: 'schedule', line: 1, message: expect.stringMatching(/requires exactly 5 parts/) });
    expect(issuesOf('schedule: 6\n')[0]!.message).toMatch(/^expected five fields/);
    expect(issuesOf('schedule: true\n')[0]!.message).toMatch(/^expected five fields/);
    expect(issuesOf('schedule: "0 0 30 2 *"\n')[0]!.message).toMatch(/never matches a date/);
  });

  it('names an unknown time zone at its line, and every mistake at once', () => {
    const issues = issuesOf('timezone: Mars/Olympus\nsystems:\n  - name: web\n    timezone: ""\n    schedule: nope\n');
    expect(issues.map((i) => [i.key, i.line]).sort()).toEqual([
      ['systems[0].schedule', 5],
      ['systems[0].timezone', 4],
      ['timezone', 1],
    ]);
    expect(issues.find((i) => i.key === 'timezone')!.message).toBe(
      'unknown time zone "Mars/Olympus"; expected an IANA name such as "Europe/Berlin", "America/New_York" or "UTC"',
    );
  });

  it('bounds concurrentRuns', () => {
    expect(issuesOf('concurrentRuns: 0\n')[0]).toMatchObject({ key: 'concurrentRuns', line: 1 });
    expect(issuesOf('concurrentRuns: 1.5\n')[0]!.key).toBe('concurrentRuns');
  });

  it('loads the example of docs/configuration.md as documented', () => {
    const docs = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const example = /## `schedule` \(`prodeng serve`\)\n\n```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(example).toBeDefined();
    const config = parseConfig(example!, '/w/prodeng.yml', [fakeProbe]);
    expect(config.concurrentRuns).toBe(2);
    expect(config.systems.map((s) => [s.name, s.schedule!.cron, s.schedule!.timezone])).toEqual([
      ['shop', '0 */4 * * 1-5', 'Europe/Berlin'],
      ['partner-api', '30 7 * * *', 'America/New_York'],
      ['archive', null, 'Europe/Berlin'],
    ]);
  });

  it('suggests the schedule keys for a typo', () => {
    expect(issuesOf('systems:\n  - name: web\n    schedul: "0 6 * * *"\n')[0]!.message).toContain('did you mean "schedule"');
    expect(issuesOf('timzone: UTC\n')[0]!.message).toContain('did you mean "timezone"');
  });
});
