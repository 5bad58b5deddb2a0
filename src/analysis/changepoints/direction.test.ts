import { describe, expect, it } from 'vitest';
import { classifyChange, directionOf, KNOWN_METRICS, severityOfChange } from './direction.js';

describe('directionOf', () => {
  it("knows prodeng's own metrics", () => {
    for (const name of ['versions.libyears', 'versions.majors_behind', 'versions.eol_count', 'vulns.count', 'todo.count', 'supply_chain.findings']) {
      expect(directionOf(name)).toMatchObject({ direction: 'higher-is-worse', known: true });
    }
    for (const name of ['versions.up_to_date_ratio', 'supply_chain.pinned_actions_ratio', 'todo.files_scanned']) {
      expect(directionOf(name)).toMatchObject({ direction: 'higher-is-better', known: true });
    }
    for (const [name, entry] of Object.entries(KNOWN_METRICS)) expect(directionOf(name).direction).toBe(entry.direction);
  });

  it('reads other metric names by their words', () => {
    const worse = ['ci.duration', 'ci.duration_seconds', 'http.latency.p95', 'p95_latency_ms', 'api.error_rate', 'tests.flaky', 'flaky_tests', 'build.failures', 'deps.outdated', 'cve-count', 'image size bytes', 'security.risk_score'];
    const better = ['coverage', 'tests.coverage.lines', 'availability', 'service.uptime', 'deps.up_to_date_ratio', 'grade_score', 'observatory_score', 'tests.pass_rate', 'cache_hit_ratio', 'throughput_rps'];
    for (const name of worse) expect([name, directionOf(name).direction]).toEqual([name, 'higher-is-worse']);
    for (const name of better) expect([name, directionOf(name).direction]).toEqual([name, 'higher-is-better']);
  });

  it('treats an unknown metric as higher-is-worse, and says so', () => {
    expect(directionOf('widgets.frobnicated')).toEqual({ direction: 'higher-is-worse', known: false, why: 'unknown metric: assumed higher is worse' });
    // Words match whole: "uptime" is not "time", "coverage" is not "age".
    expect(directionOf('uptime').direction).toBe('higher-is-better');
    expect(directionOf('coverage').direction).toBe('higher-is-better');
  });
});

describe('classifyChange', () => {
  it('depends on the direction of the metric', () => {
    expect(classifyChange('ci.duration', 100, 140)).toBe('regression');
    expect(classifyChange('ci.duration', 140, 100)).toBe('improvement');
    expect(classifyChange('coverage', 0.8, 0.7)).toBe('regression');
    expect(classifyChange('coverage', 0.7, 0.8)).toBe('improvement');
    expect(classifyChange('vulns.count', 0, 3)).toBe('regression');
    expect(classifyChange('mystery', 1, 2)).toBe('regression');
    expect(classifyChange('mystery', 2, 2)).toBe('unchanged');
    expect(() => classifyChange('ci.duration', NaN, 1)).toThrow(RangeError);
  });
});

describe('severityOfChange', () => {
  it('grades by magnitude, either way', () => {
    expect(severityOfChange(0.5)).toBe('high');
    expect(severityOfChange(-0.6)).toBe('high');
    expect(severityOfChange(0.4999)).toBe('medium');
    expect(severityOfChange(0.2)).toBe('medium');
    expect(severityOfChange(-0.2)).toBe('medium');
    expect(severityOfChange(0.1999)).toBe('low');
    expect(severityOfChange(0)).toBe('low');
    expect(severityOfChange(Infinity)).toBe('high');
    expect(severityOfChange(null)).toBe('high');
    expect(() => severityOfChange(NaN)).toThrow(RangeError);
  });
});
