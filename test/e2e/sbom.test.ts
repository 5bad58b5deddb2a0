/**
 * `prodeng sbom` from the CLI on a real repository: both formats, the dependency graph, errors.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runJson } from '../support/cli.js';
import { tempRepo, type TempRepo } from '../support/repo.js';

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo({ name: 'shop' });
  repo.write('Dockerfile', 'FROM node:20-bookworm\n');
  repo.write(
    'package-lock.json',
    JSON.stringify({
      name: 'shop',
      lockfileVersion: 3,
      packages: {
        '': { name: 'shop', dependencies: { express: '^4.18.0' } },
        'node_modules/express': { version: '4.18.2', dependencies: { qs: '6.11.0' } },
        'node_modules/qs': { version: '6.11.0' },
      },
    }),
  );
  repo.write('requirements.txt', 'django==4.2.16\n');
  repo.commit('init');
});
afterEach(() => repo.remove());

describe('prodeng sbom', () => {
  it('writes CycloneDX 1.6 with components and the dependency graph', async () => {
    const { result, json } = await runJson<{
      bomFormat: string;
      specVersion: string;
      components: Array<{ name: string; version?: string; purl?: string; 'bom-ref': string }>;
      dependencies: Array<{ ref: string; dependsOn?: string[] }>;
    }>(['sbom'], { cwd: repo.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(json).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    const purls = json.components.map((c) => c.purl).filter(Boolean);
    expect(purls).toEqual(expect.arrayContaining(['pkg:npm/express@4.18.2', 'pkg:npm/qs@6.11.0', 'pkg:pypi/django@4.2.16']));
    expect(json.components.map((c) => c.name)).toEqual(expect.arrayContaining(['node', 'debian']));
    const express = json.components.find((c) => c.name === 'express')!;
    const qs = json.components.find((c) => c.name === 'qs')!;
    expect(json.dependencies.find((d) => d.ref === express['bom-ref'])!.dependsOn).toEqual([qs['bom-ref']]);
  });

  it('writes SPDX 2.3 to a file, and refuses a missing directory', async () => {
    const written = await runCli(['sbom', '.', '--format', 'spdx-json', '--output', 'sbom.spdx.json'], { cwd: repo.dir });
    expect(written.code, written.stderr).toBe(0);
    const { json } = await runJson<{ spdxVersion: string; packages: unknown[]; relationships: unknown[] }>(['sbom', '--format', 'spdx-json'], { cwd: repo.dir });
    expect(json.spdxVersion).toBe('SPDX-2.3');
    expect(json.packages.length).toBeGreaterThanOrEqual(5);
    const missing = await runCli(['sbom', 'nope'], { cwd: repo.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope: no such directory');
    const badFormat = await runCli(['sbom', '--format', 'xml'], { cwd: repo.dir });
    expect(badFormat.stderr).toContain('--format must be one of cyclonedx-json, spdx-json');
  });
});
