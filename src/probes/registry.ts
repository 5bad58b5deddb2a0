/**
 * Every probe prodeng ships, by id. Adding a probe means adding its folder and one line here; a
 * meta-test (registry.test.ts) keeps this map and the folders in step.
 */
import type { AnyProbe } from '../core/probe.js';
import { ciProbe } from './ci/index.js';
import { httpProbe } from './http/index.js';
import { supplyChainProbe } from './supply-chain/index.js';
import { testsProbe } from './tests/index.js';
import { tlsProbe } from './tls/index.js';
import { todoProbe } from './todo/index.js';
import { versionsProbe } from './versions/index.js';
import { vulnsProbe } from './vulns/index.js';

export const probeRegistry = {
  todo: todoProbe,
  versions: versionsProbe,
  vulns: vulnsProbe,
  'supply-chain': supplyChainProbe,
  http: httpProbe,
  tls: tlsProbe,
  tests: testsProbe,
  ci: ciProbe,
} as const satisfies Record<string, AnyProbe>;

export type ProbeId = keyof typeof probeRegistry;

/** The probes in a stable order (the order of the map). */
export const allProbes: readonly AnyProbe[] = Object.values(probeRegistry);
