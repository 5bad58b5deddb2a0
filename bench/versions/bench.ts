/**
 * The versions probe's extraction speed: a repository with 100 manifests of every kind and a
 * 5,000-package lockfile, registries aside (`freshness: none`).
 *
 *   npm run build && node bench/versions/bench.ts [--runs N]
 *
 * Reports the probe's own duration (from the JSON report) and the whole `prodeng observe`
 * process, median of N runs after a warm-up.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { bigPackageLock } from '../../src/probes/versions/extractors/test-support/big-lockfiles.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const WORK = join(ROOT, 'bench', '.work', 'versions');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

function write(path: string, text: string): void {
  mkdirSync(dirname(join(WORK, 'repo', path)), { recursive: true });
  writeFileSync(join(WORK, 'repo', path), text);
}

rmSync(WORK, { recursive: true, force: true });
const images = ['node:16-buster', 'python:3.9-alpine3.14', 'postgres:11', 'redis:5.0', 'nginx:1.20', 'ubuntu:18.04', 'golang:1.19-bullseye', 'eclipse-temurin:17-jre-jammy', 'php:8.1-fpm-alpine', 'ruby:3.1-slim-bookworm'];
let manifests = 0;
for (let i = 0; i < 30; i++, manifests++) write(`services/s${i}/Dockerfile`, `ARG BASE=${images[i % images.length]}\nFROM \${BASE} AS build\nRUN make\nFROM ${images[(i + 3) % images.length]}\n`);
for (let i = 0; i < 15; i++, manifests++) write(`services/s${i}/docker-compose.yml`, `services:\n  db:\n    image: ${images[(i + 2) % images.length]}\n  cache:\n    image: redis:6.2\n`);
for (let i = 0; i < 15; i++, manifests++) write(`services/s${i}/.nvmrc`, `${[14, 16, 18, 20][i % 4]}\n`);
for (let i = 0; i < 15; i++, manifests++) write(`py/p${i}/requirements.txt`, `django==${['2.2.28', '3.2.25', '4.2.16'][i % 3]}\nrequests==2.31.0\nflask==2.3.3\n`);
for (let i = 0; i < 10; i++, manifests++) write(`go/g${i}/go.mod`, `module example.com/g${i}\n\ngo 1.${18 + (i % 4)}\n\nrequire (\n\tgithub.com/pkg/errors v0.9.1\n\tgolang.org/x/text v0.3.7 // indirect\n)\n`);
for (let i = 0; i < 10; i++, manifests++) write(`k8s/app${i}.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${images[i % images.length]}\n`);
for (let i = 0; i < 4; i++, manifests++) write(`.github/workflows/ci${i}.yml`, `on: push\njobs:\n  test:\n    runs-on: ubuntu-20.04\n    strategy:\n      matrix:\n        node: [16, 18, 20]\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-version: \${{ matrix.node }}\n`);
write('package.json', JSON.stringify({ name: 'big', version: '1.0.0' }));
write('package-lock.json', bigPackageLock());
manifests += 1;
write('prodeng.yml', 'systems:\n  - name: big\n    repo: .\nprobes:\n  todo: false\n  versions:\n    freshness: none\n');
const repo = join(WORK, 'repo');
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });
git('init', '-q', '-b', 'main');
git('add', '-A');
git('-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-q', '-m', 'repo');

const probeMs: number[] = [];
const wallMs: number[] = [];
const report = join(WORK, 'report.json');
for (let i = 0; i < runs + 1; i++) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'prodeng.js'), 'observe', '--offline', '--db', join(WORK, 'bench.db'), '--format', 'json', '-q', '-o', report], { cwd: repo, encoding: 'utf8' });
  const wall = performance.now() - started;
  if (result.status !== 0) throw new Error(`prodeng failed: ${result.stderr}`);
  if (i === 0) continue;
  const json = JSON.parse(readFileSync(report, 'utf8')) as { snapshots: Array<{ probes: Array<{ id: string; durationMs: number; facts?: { components?: unknown[] } }> }> };
  const run = json.snapshots[0]!.probes.find((probe) => probe.id === 'versions')!;
  probeMs.push(run.durationMs);
  wallMs.push(Math.round(wall));
  if (i === 1) console.error(`components: ${run.facts?.components?.length}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`,
      manifests,
      lockfilePackages: 5000,
      probe: { medianMs: median(probeMs), runs: probeMs },
      observe: { medianMs: median(wallMs), runs: wallMs },
    },
    null,
    2,
  ),
);
