import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tableReporter } from './table.js';
import { stringWidth } from './string-width.js';
import { reportArb } from './test-support/arbitraries.js';
import { HOSTILE, NOW, emptyReport, finding, metric, mixedReport, probeRun, report, snapshot } from './test-support/fixtures.js';
import type { RenderOptions } from './reporter.js';
import type { Report } from '../core/model.js';

const render = (value: Report, options: Partial<RenderOptions> = {}) =>
  tableReporter.render(value, { color: false, now: NOW, ...options });

/** Any control or bidi character except the newlines that separate lines. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** The backlog table: from the header row (starting with `#`) to the first blank line. */
function tableLines(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^\s*# {2}Severity/.test(line));
  if (start < 0) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start, end < 0 ? undefined : end).filter((line) => !line.startsWith('…'));
}

/** Column (in terminal cells) where `needle` starts in `line`. */
function columnOf(line: string, needle: string): number {
  const index = line.indexOf(needle);
  return index < 0 ? -1 : stringWidth(line.slice(0, index));
}

describe('table reporter', () => {
  it('shows the snapshot header: system, status, when, commit, probes with durations, errors', () => {
    const lines = render(mixedReport()).split('\n');
    expect(lines[0]).toBe('web-app  partial  2024-06-01 11:00 UTC (1h ago)  0123456 (main)');
    expect(lines[1]).toBe('  probes: todo ok 120ms · deps partial 3.2s · audit failed 1.0s · ci skipped');
    expect(lines[2]).toBe('  ! deps: could not parse lockfile (package-lock.json) [EPARSE]');
    expect(lines[3]).toBe('  ✗ audit: network unreachable');
  });

  it('lists the backlog with rank, severity, rule, title, location, age and markers', () => {
    const rows = tableLines(render(mixedReport(), { terminalWidth: 120 }));
    expect(rows[0]).toMatch(/^# {2}Severity {2}Rule +Title +Location +Age$/);
    expect(rows[1]).toMatch(/^1 {2}critical {2}deps\/vulnerable {2}lodash 4\.17\.20: prototype pollution \(CVE-2021-23337\) +package\.json:12:5 +3y {2}new$/);
    expect(rows[2]).toMatch(/^2 {2}medium {4}todo\/marker +FIXME: race on shutdown +src\/http\.ts:42 +12d {2}reopened$/);
    expect(rows[3]).toMatch(/^3 {2}low {7}todo\/marker +TODO: remove shim +12d$/);
    // Resolved and suppressed findings are counted, not listed.
    expect(rows).toHaveLength(4);
    // At the default 100 columns the long title is cut.
    expect(tableLines(render(mixedReport()))[1]).toMatch(/ {2}lodash 4\.17\.20: prototype pol+[^ ]*… {2}package\.json:12:5/);
    const text = render(mixedReport());
    expect(text).not.toContain('gone now');
    expect(text).not.toContain('accepted for now');
  });

  it('summarises metrics and the backlog', () => {
    const text = render(mixedReport(), { terminalWidth: 120 });
    expect(text).toContain('  metrics: todo.count{tag="TODO"}=12 markers  todo.count{tag="FIXME"}=3 markers  deps.outdated=0.5 ratio\n');
    expect(render(mixedReport(), { terminalWidth: 80 })).toContain(
      '  metrics: todo.count{tag="TODO"}=12 markers  todo.count{tag="FIXME"}=3 markers\n           deps.outdated=0.5 ratio\n',
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      '3 open (1 critical, 1 medium, 1 low) · 1 new · 1 reopened · 1 resolved since last snapshot · 1 suppressed',
    );
  });

  it('stops at the limit and says how many more there are', () => {
    const many = report({
      findings: Array.from({ length: 45 }, (_, index) => finding({ fingerprint: `f${index}`, title: `TODO number ${index + 1}` })),
    });
    const text = render(many);
    const rows = tableLines(text);
    expect(rows).toHaveLength(31); // header + 30
    expect(rows.at(-1)).toMatch(/^30 {2}low/);
    expect(text).toContain('\n… and 15 more (use --format json for all)\n');
    expect(tableLines(render(many, { limit: 5 }))).toHaveLength(6);
    expect(render(many, { limit: 5 })).toContain('… and 40 more (use --format json for all)');
    expect(render(many, { limit: 100 })).not.toContain('more (use --format json');
  });

  it('ages findings in days, months and years', () => {
    const aged = report({
      findings: [
        finding({ fingerprint: '1', title: 'days', firstSeen: '2024-05-20T12:00:00.000Z' }),
        finding({ fingerprint: '2', title: 'months', firstSeen: '2023-12-25T12:00:00.000Z' }),
        finding({ fingerprint: '3', title: 'years', firstSeen: '2021-03-01T12:00:00.000Z' }),
        finding({ fingerprint: '4', title: 'hours', firstSeen: '2024-06-01T07:00:00.000Z' }),
      ],
    });
    const rows = tableLines(render(aged));
    expect(rows[1]).toMatch(/days .* 12d$/);
    expect(rows[2]).toMatch(/months .* 5mo$/);
    expect(rows[3]).toMatch(/years .* 3y$/);
    expect(rows[4]).toMatch(/hours .* 5h$/);
  });

  it('emits no ANSI codes without colour and only SGR codes with it', () => {
    expect(render(mixedReport())).not.toContain('\u001b');
    const coloured = render(mixedReport(), { color: true });
    expect(coloured).toContain('\u001b[31m'); // critical is red
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(render(mixedReport()));
  });

  it('escapes control characters from the repository, with or without colour', () => {
    const hostile = report({
      snapshots: [
        snapshot({
          system: `evil${HOSTILE.ansi}`,
          revision: { commit: 'abc\u001b[2J', branch: `main${HOSTILE.ansi}` },
          probes: [probeRun({ id: 'todo', status: 'partial', errors: [{ message: HOSTILE.ansi, path: HOSTILE.newline }] })],
        }),
      ],
      findings: Object.values(HOSTILE).map((title, index) =>
        finding({ fingerprint: String(index), title, rule: `todo/${title}`, location: { path: title, line: 1 } }),
      ),
      metrics: [metric({ name: HOSTILE.ansi, unit: HOSTILE.bidi, labels: { [HOSTILE.newline]: HOSTILE.ansi } })],
    });
    for (const color of [false, true]) {
      const text = render(hostile, { color });
      const withoutOurCodes = color ? text.replace(/\u001b\[[0-9;]*m/g, '') : text;
      expect(withoutOurCodes).not.toMatch(UNSAFE);
      expect(withoutOurCodes).toContain('\\x1b[31mALERT');
      expect(withoutOurCodes).toContain('\\u202e');
    }
  });

  it('aligns columns with wide characters and fits the terminal width', () => {
    const wide = report({
      findings: [
        finding({ fingerprint: '1', title: HOSTILE.cjk, location: { path: 'src/日本語/リトライ.ts', line: 7 } }),
        finding({ fingerprint: '2', title: 'ASCII title that is rather long and keeps going and going', location: { path: 'src/a.ts', line: 1 } }),
        finding({ fingerprint: '3', title: '한국어 제목과 emoji 👍 mixed ｶﾀｶﾅ', location: { path: 'b.ts', line: 22 } }),
        finding({ fingerprint: '4', title: `${HOSTILE.cjk}${HOSTILE.cjk}${HOSTILE.cjk}`, location: { path: 'c.ts' } }),
      ],
    });
    for (const terminalWidth of [70, 80, 100, 120, 200]) {
      const rows = tableLines(render(wide, { terminalWidth }));
      expect(rows).toHaveLength(5);
      for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(terminalWidth);
      // Every column starts at the same terminal column in every row.
      const header = rows[0] ?? '';
      const titleColumn = columnOf(header, 'Title');
      const locationColumn = columnOf(header, 'Location');
      for (const row of rows.slice(1)) {
        const cells = row.split(/ {2,}/);
        expect(columnOf(row, cells[3] ?? '')).toBe(titleColumn);
        expect(columnOf(row, cells[4] ?? '')).toBe(locationColumn);
      }
    }
    // Wide enough: nothing is cut.
    expect(render(wide, { terminalWidth: 200 })).toContain(`${HOSTILE.cjk}${HOSTILE.cjk}${HOSTILE.cjk}`);
    // Narrow: the title is cut with an ellipsis, never inside a character.
    expect(render(wide, { terminalWidth: 80 })).toMatch(/日本語のTODO：[^\n]*…/);
  });

  it('renders an empty report', () => {
    expect(render(emptyReport())).toBe('No snapshots and no findings.\n\n0 open · 0 new · 0 resolved since last snapshot\n');
  });

  it('renders a snapshot without findings or metrics', () => {
    const text = render(report({ findings: [], metrics: [], snapshots: [snapshot({ revision: null, probes: [] })] }));
    expect(text).toBe(
      [
        'web-app  complete  2024-06-01 11:00 UTC (1h ago)  no revision',
        '  probes: none',
        '',
        'No open findings.',
        '',
        '0 open · 0 new · 0 resolved since last snapshot',
        '',
      ].join('\n'),
    );
  });

  it('gives each system its own section and a total', () => {
    const two = report({
      snapshots: [snapshot(), snapshot({ id: 'snap-2', system: '基幹システム', revision: { commit: 'feedface', branch: null } })],
      findings: [finding(), finding({ system: '基幹システム', fingerprint: 'x', severity: 'high', status: 'new' })],
    });
    const text = render(two);
    expect(text).toContain('\n基幹システム  complete  2024-06-01 11:00 UTC (1h ago)  feedfac (detached)\n');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Total: 2 open (1 high, 1 low) · 1 new · 0 resolved since last snapshot');
  });

  it('never prints control characters, whatever the report', () => {
    fc.assert(
      fc.property(reportArb, fc.boolean(), fc.integer({ min: 20, max: 200 }), (generated, color, terminalWidth) => {
        const text = render(generated, { color, terminalWidth });
        expect(text.endsWith('\n')).toBe(true);
        const plain = color ? text.replace(/\u001b\[[0-9;]*m/g, '') : text;
        expect(plain).not.toMatch(UNSAFE);
        if (!color) expect(text).not.toContain('\u001b');
        for (const row of tableLines(plain)) {
          // Rows fit whenever the terminal leaves the title its minimum.
          if (terminalWidth >= 100) expect(stringWidth(row)).toBeLessThanOrEqual(terminalWidth);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('table and Markdown reporters on a very large backlog', () => {
  it('render 150,000 findings when asked to show them all (no stack overflow from argument spreading)', async () => {
    const { markdownReporter } = await import('./markdown.js');
    const many = report({
      findings: Array.from({ length: 150_000 }, (_, i) => finding({ fingerprint: i.toString(16).padStart(32, '0'), title: `TODO: item ${i}` })),
    });
    const table = render(many, { limit: 1_000_000 });
    expect(table).toContain('TODO: item 149999');
    const markdown = markdownReporter.render(many, { color: false, now: NOW, limit: 1_000_000 });
    expect(markdown).toContain('TODO: item 149999');
  });
});
