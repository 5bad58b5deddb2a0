/**
 * What runs on this host: the operating system (`/etc/os-release`), the kernel, and the versions
 * of installed runtimes, middleware and container runtimes, asked of each product's own version
 * command with a bounded time each. A product that is not installed is simply absent; one whose
 * command fails or hangs is named in the errors.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import type { ProbeError } from '../../core/model.js';
import type { Component, ComponentKind } from './model.js';

/** One product: the commands to try in order, and how to read a version out of their output. */
export interface HostCheck {
  name: string;
  kind: ComponentKind;
  /** endoflife.date product id (a function when the output tells the vendor). */
  product: string | ((output: string) => string | undefined);
  commands: ReadonlyArray<readonly [string, ...string[]]>;
  /** Tried in order; the first that matches gives the version. */
  patterns: readonly RegExp[];
}

const VERSION = String.raw`(\d+(?:\.\d+){0,3})`;

/** The table of what is looked for; each entry is tested against real outputs in host.test.ts. */
export const HOST_CHECKS: readonly HostCheck[] = [
  { name: 'node', kind: 'runtime', product: 'nodejs', commands: [['node', '--version']], patterns: [new RegExp(`^v${VERSION}`)] },
  { name: 'python', kind: 'runtime', product: 'python', commands: [['python3', '--version'], ['python', '--version']], patterns: [new RegExp(`Python ${VERSION}`)] },
  {
    name: 'java',
    kind: 'runtime',
    // The vendor decides the support dates; the JVM says who built it.
    product: (output) =>
      /Temurin/i.test(output)
        ? 'eclipse-temurin'
        : /Corretto/i.test(output)
          ? 'amazon-corretto'
          : /Zulu/i.test(output)
            ? 'azul-zulu'
            : /Microsoft/i.test(output)
              ? 'microsoft-build-of-openjdk'
              : /Java\(TM\)/.test(output)
                ? 'oracle-jdk'
                : undefined,
    commands: [['java', '-version']],
    patterns: [new RegExp(`version "(?:1\\.)?${VERSION}`)],
  },
  { name: 'go', kind: 'runtime', product: 'go', commands: [['go', 'version']], patterns: [new RegExp(`go${VERSION}`)] },
  { name: 'ruby', kind: 'runtime', product: 'ruby', commands: [['ruby', '--version']], patterns: [new RegExp(`ruby ${VERSION}`)] },
  { name: 'php', kind: 'runtime', product: 'php', commands: [['php', '--version']], patterns: [new RegExp(`PHP ${VERSION}`)] },
  { name: 'dotnet', kind: 'runtime', product: 'dotnet', commands: [['dotnet', '--version']], patterns: [new RegExp(`^${VERSION}`)] },
  { name: 'nginx', kind: 'middleware', product: 'nginx', commands: [['nginx', '-v']], patterns: [new RegExp(`nginx/${VERSION}`)] },
  {
    name: 'apache',
    kind: 'middleware',
    product: 'apache-http-server',
    commands: [['apache2', '-v'], ['httpd', '-v'], ['apachectl', '-v']],
    patterns: [new RegExp(`Apache/${VERSION}`)],
  },
  {
    name: 'postgresql',
    kind: 'middleware',
    product: 'postgresql',
    commands: [['postgres', '--version'], ['psql', '--version']],
    patterns: [new RegExp(`\\(PostgreSQL\\) ${VERSION}`)],
  },
  {
    name: 'mysql',
    kind: 'middleware',
    product: (output) => (/MariaDB/i.test(output) ? 'mariadb' : 'mysql'),
    commands: [['mariadb', '--version'], ['mysql', '--version'], ['mysqld', '--version']],
    patterns: [new RegExp(`Distrib ${VERSION}`), new RegExp(`Ver ${VERSION}`)],
  },
  { name: 'redis', kind: 'middleware', product: 'redis', commands: [['redis-server', '--version']], patterns: [new RegExp(`v=${VERSION}`)] },
  { name: 'docker', kind: 'container-runtime', product: 'docker-engine', commands: [['docker', '--version']], patterns: [new RegExp(`version ${VERSION}`)] },
  { name: 'containerd', kind: 'container-runtime', product: 'containerd', commands: [['containerd', '--version']], patterns: [new RegExp(` v?${VERSION}`)] },
  { name: 'runc', kind: 'container-runtime', product: () => undefined, commands: [['runc', '--version']], patterns: [new RegExp(`runc version ${VERSION}`)] },
  { name: 'podman', kind: 'container-runtime', product: 'podman', commands: [['podman', '--version']], patterns: [new RegExp(`version ${VERSION}`)] },
];

/** `ID`/`VERSION_ID` of os-release → endoflife.date product and version. */
const OS_PRODUCTS: Record<string, string> = {
  debian: 'debian',
  ubuntu: 'ubuntu',
  alpine: 'alpine-linux',
  rhel: 'rhel',
  centos: 'centos',
  rocky: 'rocky-linux',
  almalinux: 'almalinux',
  fedora: 'fedora',
  amzn: 'amazon-linux',
  'opensuse-leap': 'opensuse',
  sles: 'sles',
};

export interface HostObservation {
  components: Component[];
  errors: ProbeError[];
}

export interface HostOptions {
  signal: AbortSignal;
  timeoutMs?: number;
  /** For tests: where os-release is, and how to run a command. */
  osReleasePath?: string;
  kernel?: string;
  run?: (command: string, args: readonly string[], timeoutMs: number, signal: AbortSignal) => Promise<string | null>;
}

export async function observeHost(options: HostOptions): Promise<HostObservation> {
  const components: Component[] = [];
  const errors: ProbeError[] = [];
  const osRelease = readOsRelease(options.osReleasePath ?? '/etc/os-release');
  if (osRelease) {
    const id = osRelease.ID ?? '';
    const version = osRelease.VERSION_ID ?? null;
    components.push({
      kind: 'os',
      name: osRelease.NAME ?? id,
      version,
      ecosystem: null,
      direct: true,
      dev: false,
      ...(OS_PRODUCTS[id] ? { product: OS_PRODUCTS[id] } : {}),
      source: { path: 'host:/etc/os-release' },
    });
  }
  const kernel = (options.kernel ?? release()).match(/^(\d+\.\d+(?:\.\d+)?)/)?.[1];
  if (kernel) components.push({ kind: 'os', name: 'linux-kernel', version: kernel, ecosystem: null, direct: true, dev: false, product: 'linux-kernel', source: { path: 'host:uname -r' } });

  const run = options.run ?? runVersionCommand;
  const timeoutMs = options.timeoutMs ?? 5_000;
  await Promise.all(
    HOST_CHECKS.map(async (check) => {
      for (const [command, ...args] of check.commands) {
        options.signal.throwIfAborted();
        let output: string | null;
        try {
          output = await run(command, args, timeoutMs, options.signal);
        } catch (error) {
          errors.push({ path: `host:${command}`, message: `${command} ${args.join(' ')}: ${(error as Error).message}`, code: 'host-command' });
          return;
        }
        if (output === null) continue; // not installed: try the next command
        const version = check.patterns.map((pattern) => pattern.exec(output)?.[1]).find((found) => found !== undefined);
        if (!version) {
          errors.push({ path: `host:${command}`, message: `${command} ${args.join(' ')} printed no version prodeng understands`, code: 'host-command' });
          return;
        }
        const product = typeof check.product === 'function' ? check.product(output) : check.product;
        components.push({
          kind: check.kind,
          name: check.name,
          version,
          ecosystem: null,
          direct: true,
          dev: false,
          ...(product ? { product } : {}),
          source: { path: `host:${command}` },
        });
        return;
      }
    }),
  );
  components.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { components, errors };
}

export function readOsRelease(path: string): Record<string, string> | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  return parseOsRelease(text);
}

/** os-release(5): KEY=value lines, values optionally quoted with shell escapes. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    let value = match[2]!;
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
      value = value.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    }
    out[match[1]!] = value;
  }
  return out;
}

/**
 * Runs a version command without a shell. Resolves null when the command does not exist; output
 * is stdout and stderr together (several products print their version on stderr).
 */
export function runVersionCommand(command: string, args: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<string | null> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, signal, maxBuffer: 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'EACCES') return resolve(null);
        if ((error as { killed?: boolean }).killed) return reject(new Error(`no answer within ${timeoutMs} ms`));
        // Some products exit non-zero after printing their version (`java -version` does not, but
        // old `nginx -v` builds do): use what they printed when it holds a version.
        if (`${stdout}${stderr}`.trim()) return resolve(`${stdout}\n${stderr}`);
        return reject(new Error(error.message.split('\n')[0] ?? 'failed'));
      }
      resolve(`${stdout}\n${stderr}`);
    });
  });
}
