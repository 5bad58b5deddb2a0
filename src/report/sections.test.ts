import { describe, expect, it } from 'vitest';
import type { Report } from '../core/model.js';
import { markdownReporter } from './markdown.js';
import { probeSections } from './sections.js';
import { tableReporter } from './table.js';

const report = (facts: unknown): Report => ({
  schemaVersion: 1,
  generatedAt: '2026-11-29T00:00:00.000Z',
  tool: { name: 'prodeng', version: '0.1.0' },
  snapshots: [
    {
      id: '01KB000000000000000000000',
      system: 'web',
      startedAt: '2026-11-29T00:00:00.000Z',
      finishedAt: '2026-11-29T00:00:01.000Z',
      status: 'complete',
      revision: null,
      probes: [{ id: 'versions', status: 'ok', durationMs: 5, errors: [], facts }],
    },
  ],
  findings: [],
  metrics: [],
  rules: {},
});

describe('probe sections', () => {
  const facts = { sections: [{ title: 'Upgrade plan', items: ['1. Node.js 16: upgrade to 24 — end of life since 2023-09-11', '2. <script>alert(1)</script> \u001b[31m'] }] };

  it('are read from facts and ignored when malformed', () => {
    expect(probeSections(report(facts).snapshots)).toHaveLength(1);
    expect(probeSections(report({ sections: 'nope' }).snapshots)).toEqual([]);
    expect(probeSections(report(undefined).snapshots)).toEqual([]);
  });

  it('render in the table and in Markdown, escaped', () => {
    const now = new Date('2026-11-29T00:00:00Z');
    const table = tableReporter.render(report(facts), { color: false, now });
    expect(table).toContain('Upgrade plan (versions)');
    expect(table).toContain('1. Node.js 16: upgrade to 24');
    expect(table).not.toContain('\u001b[31m');
    const markdown = markdownReporter.render(report(facts), { color: false, now });
    expect(markdown).toContain('### Upgrade plan');
    expect(markdown).toContain('- 1\\. Node.js 16') ;
    expect(markdown).not.toContain('<script>');
  });
});

describe('probe notes and long error lists', () => {
  it('shows notes under the probes and at most eight errors per probe', () => {
    const r = report({ notes: ['end-of-life data: endoflife.date as of 2026-08-22'] });
    r.snapshots[0]!.probes[0]!.errors = Array.from({ length: 12 }, (_, i) => ({ message: `broken file ${i}`, path: `f${i}` }));
    const table = tableReporter.render(r, { color: false, now: new Date('2026-11-29T00:00:00Z') });
    expect(table).toContain('versions: end-of-life data: endoflife.date as of 2026-08-22');
    expect(table).toContain('broken file 7');
    expect(table).not.toContain('broken file 8');
    expect(table).toContain('… and 4 more versions errors (use --format json for all)');
    const markdown = markdownReporter.render(r, { color: false, now: new Date('2026-11-29T00:00:00Z') });
    expect(markdown).toContain('end-of-life data: endoflife.date as of 2026-08-22');
    expect(markdown).toContain('… and 4 more');
  });
});
