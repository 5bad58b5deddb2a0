import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ASPECTS, SEVERITIES } from '../core/model.js';
import { probeRegistry } from './registry.js';

const here = dirname(fileURLToPath(import.meta.url));
const folders = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('probe registry', () => {
  it('has exactly one entry per probe folder', () => {
    expect(Object.keys(probeRegistry).sort()).toEqual(folders);
  });

  describe.each(Object.entries(probeRegistry))('%s', (key, probe) => {
    it('is registered under its own id', () => expect(probe.id).toBe(key));
    it('has an index.ts and user docs in readme.md', () => {
      expect(existsSync(join(here, key, 'index.ts'))).toBe(true);
      expect(existsSync(join(here, key, 'readme.md'))).toBe(true);
    });
    it('declares rules inside its own namespace with complete metadata', () => {
      expect(probe.rules.length).toBeGreaterThan(0);
      for (const rule of probe.rules) {
        expect(rule.id.startsWith(`${key}/`)).toBe(true);
        expect(SEVERITIES).toContain(rule.defaultSeverity);
        expect(rule.title.length).toBeGreaterThan(0);
        expect(rule.remediation.length).toBeGreaterThan(0);
      }
    });
    it('has a known aspect and a config schema whose defaults parse from nothing', () => {
      expect(ASPECTS).toContain(probe.aspect);
      expect(probe.configSchema.safeParse({}).success).toBe(true);
    });
    it('documents every option its schema accepts', () => {
      const shape = (probe.configSchema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
      expect(probe.options.map((option) => option.key).sort()).toEqual(Object.keys(shape).sort());
    });
  });
});
