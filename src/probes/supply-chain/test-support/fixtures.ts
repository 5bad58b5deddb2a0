/**
 * Test helpers: fixture files (stored with a `.fixture` suffix so no tool mistakes them for real
 * workflows, Dockerfiles or manifests), in-memory repository views, and credentials generated at
 * run time — no secret-looking literal is ever written to the repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GithubOptions } from '../github.js';
import type { ReadResult, RepoView } from '../manifests.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

export const identity = (text: string): string => text;

export function githubOptions(overrides: Partial<GithubOptions> = {}): GithubOptions {
  return { trustedOwners: new Set(), yarnBerry: false, redact: identity, ...overrides };
}

/** A view of in-memory files; `reads` counts how often each path was read. */
export function memoryView(files: Record<string, string>): RepoView & { reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    files: new Set(Object.keys(files)),
    redact: identity,
    reads,
    read(path: string): ReadResult {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      const text = files[path];
      return text === undefined ? { error: 'missing', code: 'missing' } : { text };
    },
  };
}

/** Every file under a fixture directory, keyed by its path without the `.fixture` suffix. */
export function fixtureFiles(dir: string): Record<string, string> {
  const root = join(FIXTURES, dir);
  const out: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[relative(root, full).split('\\').join('/').replace(/\.fixture$/, '')] = readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return out;
}

/** A seeded generator, so the planted credentials are the same in every run. */
export function random(seed: number): (alphabet: string, length: number) => string {
  let state = seed >>> 0 || 1;
  return (alphabet, length) => {
    let out = '';
    for (let i = 0; i < length; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      out += alphabet[state % alphabet.length];
    }
    return out;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = `${ALNUM}+/`;

export interface PlantedSecrets {
  github: string;
  githubPat: string;
  gitlab: string;
  slack: string;
  slackWebhook: string;
  npm: string;
  stripe: string;
  awsKeyId: string;
  awsSecret: string;
  pem: string;
  pemBody: string;
  password: string;
}

/** Realistic-looking credentials of every kind the scanner knows, generated from `seed`. */
export function plantedSecrets(seed = 7): PlantedSecrets {
  const r = random(seed);
  const pemBody = Array.from({ length: 20 }, () => r(BASE64, 64)).join('\n');
  const begin = (label: string): string => ['-----BEGIN', `${label}-----`].join(' ');
  const end = (label: string): string => ['-----END', `${label}-----`].join(' ');
  return {
    github: ['gh', 'p_'].join('') + r(ALNUM, 36),
    githubPat: ['github', '_pat_'].join('') + r(ALNUM, 22) + '_' + r(ALNUM, 59),
    gitlab: ['gl', 'pat-'].join('') + r(ALNUM, 20),
    slack: ['xo', 'xb-'].join('') + `${r('0123456789', 12)}-${r('0123456789', 13)}-${r(ALNUM, 24)}`,
    slackWebhook: `https://hooks.slack.com/services/T${r(UPPER_DIGITS, 8)}/B${r(UPPER_DIGITS, 8)}/${r(ALNUM, 24)}`,
    npm: ['np', 'm_'].join('') + r(ALNUM, 36),
    stripe: ['sk', '_live_'].join('') + r(ALNUM, 24),
    awsKeyId: ['AK', 'IA'].join('') + r(UPPER_DIGITS, 16),
    awsSecret: r(BASE64, 40),
    pem: `${begin('RSA PRIVATE KEY')}\n${pemBody}\n${end('RSA PRIVATE KEY')}`,
    pemBody: pemBody.replace(/\n/g, ''),
    password: r(ALNUM, 24),
  };
}
