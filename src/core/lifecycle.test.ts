import { describe, expect, it } from 'vitest';
import { reconcile, type PriorFinding } from './lifecycle.js';
import type { ProbeRunStatus } from './model.js';

const ran = (status: ProbeRunStatus) => new Map([['todo', status]]);

describe('reconcile', () => {
  it('marks unseen fingerprints new, known open ones open and resolved ones reopened', () => {
    const prior: PriorFinding[] = [
      { fingerprint: 'a', probe: 'todo', state: 'open' },
      { fingerprint: 'b', probe: 'todo', state: 'resolved' },
    ];
    expect(reconcile(prior, ['a', 'b', 'c'], ran('ok'))).toEqual([
      { fingerprint: 'a', status: 'open' },
      { fingerprint: 'b', status: 'reopened' },
      { fingerprint: 'c', status: 'new' },
    ]);
  });

  it('resolves an open finding only when its probe ran ok', () => {
    const prior: PriorFinding[] = [{ fingerprint: 'a', probe: 'todo', state: 'open' }];
    expect(reconcile(prior, [], ran('ok'))).toEqual([{ fingerprint: 'a', status: 'resolved' }]);
    for (const status of ['partial', 'failed', 'skipped'] as const) {
      expect(reconcile(prior, [], ran(status))).toEqual([]);
    }
    expect(reconcile(prior, [], new Map())).toEqual([]);
  });

  it('does not resolve an already resolved finding again and ignores duplicate observations', () => {
    const prior: PriorFinding[] = [{ fingerprint: 'a', probe: 'todo', state: 'resolved' }];
    expect(reconcile(prior, ['c', 'c'], ran('ok'))).toEqual([{ fingerprint: 'c', status: 'new' }]);
  });
});
