import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/repo.js';
import { observeHost, parseOsRelease } from './host.js';

/** Real outputs of the products' version commands (as printed by those builds). */
const OUTPUTS: Record<string, string> = {
  'node --version': 'v20.20.2\n',
  'python3 --version': 'Python 3.11.7\n',
  'java -version': 'openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment Temurin-17.0.15+6 (build 17.0.15+6)\n',
  'go version': 'go version go1.22.3 linux/amd64\n',
  'ruby --version': 'ruby 3.2.2 (2023-03-30 revision e51014f9c0) [x86_64-linux]\n',
  'php --version': 'PHP 8.2.7 (cli) (built: Jun  9 2023 07:38:07) (NTS)\nCopyright (c) The PHP Group\n',
  'nginx -v': 'nginx version: nginx/1.22.1\n',
  'apache2 -v': 'Server version: Apache/2.4.57 (Debian)\nServer built:   2023-04-13T03:26:51\n',
  'postgres --version': 'postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n',
  'mariadb --version': 'mariadb  Ver 15.1 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64) using  EditLine wrapper\n',
  'redis-server --version': 'Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=ae4d7c971a948f0\n',
  'docker --version': 'Docker version 28.2.2, build e6534b4\n',
  'containerd --version': 'containerd containerd.io 1.6.21 3dce8eb055cbb6872793272b4f20ed16117344f8\n',
  'runc --version': 'runc version 1.1.7\ncommit: v1.1.7-0-g860f061\n',
  'podman --version': 'podman version 4.3.1\n',
  'dotnet --version': '8.0.100\n',
};

let dir: { dir: string; remove(): void } | undefined;
afterEach(() => dir?.remove());

describe('observeHost', () => {
  it('reads the OS, the kernel and every installed product with its vendor', async () => {
    dir = tempDir();
    const osRelease = join(dir.dir, 'os-release');
    writeFileSync(osRelease, 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n');
    const asked: string[] = [];
    const { components, errors } = await observeHost({
      signal: new AbortController().signal,
      osReleasePath: osRelease,
      kernel: '6.1.0-18-amd64',
      run: async (command, args) => {
        asked.push(`${command} ${args.join(' ')}`);
        return OUTPUTS[`${command} ${args.join(' ')}`] ?? null;
      },
    });
    expect(errors).toEqual([]);
    const byName = Object.fromEntries(components.map((c) => [c.name, [c.kind, c.version, c.product ?? null]]));
    expect(byName).toMatchObject({
      'Debian GNU/Linux': ['os', '12', 'debian'],
      'linux-kernel': ['os', '6.1.0', 'linux-kernel'],
      node: ['runtime', '20.20.2', 'nodejs'],
      python: ['runtime', '3.11.7', 'python'],
      java: ['runtime', '17.0.15', 'eclipse-temurin'],
      go: ['runtime', '1.22.3', 'go'],
      ruby: ['runtime', '3.2.2', 'ruby'],
      php: ['runtime', '8.2.7', 'php'],
      dotnet: ['runtime', '8.0.100', 'dotnet'],
      nginx: ['middleware', '1.22.1', 'nginx'],
      apache: ['middleware', '2.4.57', 'apache-http-server'],
      postgresql: ['middleware', '15.20', 'postgresql'],
      mysql: ['middleware', '10.11.19', 'mariadb'],
      redis: ['middleware', '7.0.15', 'redis'],
      docker: ['container-runtime', '28.2.2', 'docker-engine'],
      containerd: ['container-runtime', '1.6.21', 'containerd'],
      runc: ['container-runtime', '1.1.7', null],
      podman: ['container-runtime', '4.3.1', 'podman'],
    });
    // Only the first command that exists is asked for each product.
    expect(asked).not.toContain('python --version');
  });

  it('names a command that hangs or prints nonsense, and goes on', async () => {
    const { components, errors } = await observeHost({
      signal: new AbortController().signal,
      osReleasePath: '/nonexistent',
      kernel: 'weird',
      run: async (command) => {
        if (command === 'node') throw new Error('no answer within 5000 ms');
        if (command === 'docker') return 'something else entirely';
        return null;
      },
    });
    expect(components).toEqual([]);
    expect(errors.map((e) => e.path).sort()).toEqual(['host:docker', 'host:node']);
  });

  it('runs real commands on this machine without failing', async () => {
    const { errors } = await observeHost({ signal: new AbortController().signal, timeoutMs: 10_000 });
    expect(errors).toEqual([]);
  });
});

describe('parseOsRelease', () => {
  it('reads quoted and unquoted values and ignores junk', () => {
    expect(parseOsRelease('ID=ubuntu\nVERSION_ID="22.04"\nNAME=\'Ubuntu\'\n# comment\nnot a line\nX="a \\"q\\""\n')).toEqual({
      ID: 'ubuntu',
      VERSION_ID: '22.04',
      NAME: 'Ubuntu',
      X: 'a "q"',
    });
  });
});
