import { describe, expect, it } from 'vitest';
import { REPORT_FORMATS, isReportFormat, rankFindings, reporters } from './index.js';
import { NOW, emptyReport, mixedReport } from './test-support/fixtures.js';

describe('reporters', () => {
  it('has one reporter per format', () => {
    expect(Object.keys(reporters).sort()).toEqual([...REPORT_FORMATS].sort());
    expect(isReportFormat('sarif')).toBe(true);
    expect(isReportFormat('xml')).toBe(false);
    expect(isReportFormat('toString')).toBe(false);
  });

  it('renders every format, ending with a newline, deterministically', () => {
    for (const format of REPORT_FORMATS) {
      for (const report of [mixedReport(), emptyReport()]) {
        const once = reporters[format].render(report, { color: false, now: NOW });
        expect(once.endsWith('\n')).toBe(true);
        expect(reporters[format].render(report, { color: false, now: NOW })).toBe(once);
      }
    }
  });

  it('renders a report ranked by rankFindings in backlog order', () => {
    const report = mixedReport();
    report.findings = rankFindings([...report.findings].reverse(), NOW);
    const statuses = report.findings.map((finding) => (finding.suppressed ? 'suppressed' : finding.status));
    expect(statuses.slice(-2)).toEqual(['resolved', 'suppressed']);
    expect(reporters.table.render(report, { color: false, now: NOW })).toMatch(/\n1 {2}critical/);
  });
});
