import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { allProbes } from '../probes/registry.js';
import { initialConfig } from './init.js';

describe('prodeng init', () => {
  it('writes a config that loads as written, with the documented defaults', () => {
    const config = parseConfig(initialConfig('shop'), '/work/shop/prodeng.yml', allProbes);
    expect(config.systems.map((system) => system.name)).toEqual(['shop']);
    expect(config.schedule.cron).toBe('0 6 * * *');
    expect(config.concurrentRuns).toBe(2);
    expect(config.timeoutMs).toBe(600_000);
  });

  it('quotes a name YAML would read otherwise', () => {
    const config = parseConfig(initialConfig('#1: api'), '/work/x/prodeng.yml', allProbes);
    expect(config.systems[0]!.name).toBe('#1: api');
  });
});
