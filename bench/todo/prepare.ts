/**
 * Builds the todo benchmark's tree once: what `npm install` of a few big packages leaves behind
 * (about 58,000 files, 420 MB of JavaScript, TypeScript, JSON and Markdown), moved out of
 * `node_modules` (which the probe skips by default) into `pkgs/` and committed into a scratch git
 * repository, so git ls-files, .gitignore handling and blame all behave as on a real repository.
 *
 * Usage: node bench/todo/prepare.ts   (idempotent; run by bench/todo/bench.ts when needed)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const WORK = join(import.meta.dirname, '..', '.work', 'todo');
export const TREE = join(WORK, 'tree');

/** Pinned so the tree, and therefore the figures, are reproducible. */
export const PACKAGES = [
  'typescript@5.9.3',
  '@mui/icons-material@6.4.12',
  '@mui/material@6.4.12',
  'core-js@3.45.1',
  'lodash@4.17.21',
  'rxjs@7.8.2',
  'date-fns@4.1.0',
  'aws-sdk@2.1692.0',
  '@babel/core@7.28.4',
  'eslint@9.36.0',
  'webpack@5.102.0',
  'react-dom@19.1.1',
];

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });

export function prepareTree(): string {
  if (existsSync(join(TREE, '.git', 'prepared'))) return TREE;
  rmSync(WORK, { recursive: true, force: true });
  const install = join(WORK, 'install');
  mkdirSync(install, { recursive: true });
  writeFileSync(join(install, 'package.json'), JSON.stringify({ name: 'todo-bench-tree', private: true }));
  console.error(`installing ${PACKAGES.length} packages…`);
  run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', ...PACKAGES], install);
  mkdirSync(TREE, { recursive: true });
  renameSync(join(install, 'node_modules'), join(TREE, 'pkgs'));
  rmSync(install, { recursive: true, force: true });
  console.error('committing into a scratch git repository…');
  run('git', ['init', '-q', '-b', 'main'], TREE);
  run('git', ['add', '-A', '-f'], TREE);
  run('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-q', '-m', 'tree'], TREE);
  writeFileSync(join(TREE, '.git', 'prepared'), new Date().toISOString());
  return TREE;
}

if (import.meta.main) {
  console.log(prepareTree());
}
