/**
 * A probe for tests of the engine, the runner and the scheduler: `run` decides what it returns;
 * everything else has harmless defaults that `overrides` may replace.
 */
import { z } from 'zod';
import type { ProbeResult } from '../model.js';
import type { AnyProbe, ProbeContext } from '../probe.js';

export const OK_RESULT: ProbeResult = { status: 'ok', findings: [], metrics: [], errors: [] };

export function fakeProbe(run: (ctx: ProbeContext) => Promise<unknown>, overrides: Partial<AnyProbe> = {}): AnyProbe {
  return {
    id: 'fake',
    aspect: 'code-health',
    title: 'Fake',
    description: 'A probe for tests',
    rules: [],
    options: [],
    configSchema: z.object({}).strict(),
    appliesTo: () => true,
    run: run as AnyProbe['run'],
    ...overrides,
  };
}
