/**
 * The shape of `prodeng.yml`. Every object is strict: an unknown key is an error, because a typo
 * (`excludes:` for `exclude:`) that silently does nothing is worse than a refusal.
 * Probe options are validated in a second pass against each probe's own schema (see load.ts).
 */
import { z } from 'zod';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  // Date.parse rolls 2026-02-30 over to March; a round trip catches that.
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'expected a real calendar date');

/** `probes: { todo: false }` disables a probe; an object sets its options. */
export const probeSettingsSchema = z.record(z.string(), z.union([z.boolean(), z.record(z.string(), z.unknown())]));

export const ignoreEntrySchema = z
  .object({
    fingerprint: z.string().regex(/^[0-9a-f]{8,64}$/, 'expected the hex fingerprint shown in reports').optional(),
    rule: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/, 'expected a rule id such as todo/marker').optional(),
    advisory: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9][\w.:-]*$/, 'expected an advisory id such as GHSA-xxxx-xxxx-xxxx or CVE-2024-1234')
      .optional(),
    path: z.string().min(1, 'expected a path glob such as "test/fixtures/**"').optional(),
    reason: z.string().trim().min(1, 'say why this is ignored'),
    until: isoDate.optional(),
  })
  .strict()
  .refine((entry) => entry.fingerprint !== undefined || entry.rule !== undefined || entry.advisory !== undefined, {
    message: 'an ignore entry needs a fingerprint, a rule or an advisory id (optionally with a path glob)',
    // Run even when other keys of the entry are invalid, so every mistake is reported at once.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });
export type IgnoreEntry = z.infer<typeof ignoreEntrySchema>;

/** `https://host:8443/health`, `tls://db.internal:5432` — what the tls and http probes may contact. */
export const endpointUrlSchema = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return ['https:', 'http:', 'tls:'].includes(url.protocol) && url.hostname !== '' && (url.protocol !== 'tls:' || url.port !== '');
  } catch {
    return false;
  }
}, 'expected an https://host[:port][/path], http://… or tls://host:port URL');

export const endpointSchema = z.union([
  endpointUrlSchema,
  z.object({ url: endpointUrlSchema, sni: z.string().min(1).max(253).optional() }).strict(),
]);

export const systemSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[^\s/\\][^/\\]*$/, 'expected a name without slashes or leading spaces')
      // A name is a path segment of the service's URLs, where `.` and `..` cannot be addressed.
      .refine((name) => name !== '.' && name !== '..', 'expected a name other than "." or ".."'),
    repo: z.string().min(1, 'expected the path of a repository or directory').optional(),
    hosts: z
      .array(z.literal('local', { error: 'only "local" (the machine prodeng runs on) can be observed so far' }))
      .optional(),
    endpoints: z.array(endpointSchema).optional(),
    probes: probeSettingsSchema.optional(),
    ignore: z.array(ignoreEntrySchema).optional(),
  })
  .strict();
export type SystemConfig = z.infer<typeof systemSchema>;

export const configSchema = z
  .object({
    version: z.literal(1).optional(),
    systems: z.array(systemSchema).default([]),
    probes: probeSettingsSchema.default({}),
    ignore: z.array(ignoreEntrySchema).default([]),
    /** Per-probe time limit in seconds. */
    timeout: z.number().positive().max(86_400).default(600),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.systems.forEach((system, index) => {
      const first = seen.get(system.name);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['systems', index, 'name'],
          message: `duplicate system name "${system.name}" (also systems[${first}])`,
        });
      }
      seen.set(system.name, index);
    });
  });
export type Config = z.infer<typeof configSchema>;
