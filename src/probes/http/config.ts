import { z } from 'zod';
import type { ProbeOptionDoc } from '../../core/probe.js';

/** Redirects followed at most, whatever the configuration says (a loop must end). */
export const REDIRECT_CAP = 5;

export const httpConfigSchema = z
  .object({
    requests: z.number().int().min(0).max(1000).default(10),
    concurrency: z.number().int().min(1).max(16).default(2),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    maxRequestsPerSecond: z.number().positive().max(100).default(5),
    maxRedirects: z.number().int().min(1).max(REDIRECT_CAP).default(REDIRECT_CAP),
    maxBodyBytes: z.number().int().min(0).max(16 * 1024 * 1024).default(1024 * 1024),
    redirectCheck: z.boolean().default(true),
    caFile: z.string().min(1).optional(),
    httpUrls: z
      .record(
        z.string().min(1),
        z.string().refine((value) => {
          try {
            return new URL(value).protocol === 'http:';
          } catch {
            return false;
          }
        }, 'expected an http:// URL'),
      )
      .default({}),
  })
  .strict();

export type HttpConfig = z.infer<typeof httpConfigSchema>;

export const httpOptionDocs: ProbeOptionDoc[] = [
  { key: 'requests', type: 'integer', default: '10', description: 'Requests of the latency and availability series, per endpoint (0: no series).' },
  { key: 'concurrency', type: 'integer', default: '2', description: 'Requests of a series in flight at once.' },
  { key: 'timeoutMs', type: 'integer', default: '10000', description: 'Time limit of one request, from the DNS lookup to the last byte read.' },
  { key: 'maxRequestsPerSecond', type: 'number', default: '5', description: 'Politeness: requests the probe starts per second at most, over all endpoints of the run.' },
  { key: 'maxRedirects', type: 'integer', default: '5', description: 'Redirects followed per request chain (at most 5); a longer chain is reported as a loop.' },
  { key: 'maxBodyBytes', type: 'bytes', default: '1048576', description: 'Bytes of a response body read at most (for a <meta> CSP and for the total time); the rest is not downloaded.' },
  { key: 'redirectCheck', type: 'boolean', default: 'true', description: 'For an https:// endpoint, request the same host over plain HTTP (port 80, or httpUrls) and check that it redirects to HTTPS.' },
  { key: 'caFile', type: 'path', default: 'none', description: 'PEM file of extra CA certificates trusted when recording tlsVerified (an internal CA); added to Node\'s bundled roots.' },
  { key: 'httpUrls', type: '{origin: url}', default: '{}', description: 'The plain-HTTP URL to check for the redirect, per HTTPS origin, e.g. {"https://shop.example:8443": "http://shop.example:8080/"}.' },
];
