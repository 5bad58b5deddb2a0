/**
 * Probes are plugins: what they return crosses a boundary, so it is checked here before anything
 * is stored. A malformed finding is dropped with an error on the probe's run, not recorded.
 */
import { z } from 'zod';
import { EFFORTS, locationSchema, plainObjectSchema, severitySchema, type Finding, type Metric, type ProbeError, type ProbeResult } from './model.js';

const findingSchema = z
  .object({
    rule: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'rule ids look like probe/rule'),
    severity: severitySchema,
    title: z.string().min(1),
    message: z.string(),
    location: locationSchema,
    fingerprint: z.string().regex(/^[0-9a-f]{16,64}$/),
    data: plainObjectSchema,
    remediation: z.string().optional(),
    effort: z.enum(EFFORTS).optional(),
  })
  .strict();

const metricSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'metric names look like probe.name'),
    value: z.number().finite(),
    unit: z.string(),
    labels: z.record(z.string(), z.string()),
  })
  .strict();

const errorSchema = z.object({ message: z.string(), path: z.string().optional(), code: z.string().optional() }).strict();

/** Checks a probe's result; invalid items are dropped and described in `errors`. */
export function validateProbeResult(probeId: string, result: unknown): ProbeResult {
  const shape = z
    .object({
      status: z.enum(['ok', 'partial', 'failed', 'skipped']),
      reason: z.string().optional(),
      findings: z.array(z.unknown()).optional(),
      metrics: z.array(z.unknown()).optional(),
      facts: z.unknown().optional(),
      errors: z.array(errorSchema).default([]),
    })
    .safeParse(result);
  if (!shape.success) {
    return { status: 'failed', errors: [{ message: `probe ${probeId} returned a malformed result: ${shape.error.issues[0]?.message ?? ''}`, code: 'malformed-result' }] };
  }
  const errors: ProbeError[] = [...shape.data.errors];
  if (shape.data.status === 'failed') return { status: 'failed', errors };
  if (shape.data.status === 'skipped') return { status: 'skipped', reason: shape.data.reason ?? 'nothing to observe' };

  const findings: Finding[] = [];
  for (const [index, item] of (shape.data.findings ?? []).entries()) {
    const parsed = findingSchema.safeParse(item);
    if (parsed.success) {
      const ruleProbe = parsed.data.rule.split('/')[0];
      if (ruleProbe === probeId) findings.push(parsed.data as Finding);
      else errors.push({ message: `finding ${index} has rule ${parsed.data.rule}, outside probe ${probeId}`, code: 'malformed-finding' });
    } else {
      const issue = parsed.error.issues[0];
      errors.push({ message: `finding ${index} dropped: ${issue?.path.join('.')}: ${issue?.message}`, code: 'malformed-finding' });
    }
  }
  const metrics: Metric[] = [];
  for (const [index, item] of (shape.data.metrics ?? []).entries()) {
    const parsed = metricSchema.safeParse(item);
    if (parsed.success) metrics.push(parsed.data);
    else errors.push({ message: `metric ${index} dropped: ${parsed.error.issues[0]?.message}`, code: 'malformed-metric' });
  }
  const dropped = errors.length > shape.data.errors.length;
  return {
    status: dropped ? 'partial' : shape.data.status,
    findings,
    metrics,
    ...(shape.data.facts === undefined ? {} : { facts: shape.data.facts }),
    errors,
  };
}
