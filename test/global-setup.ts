/**
 * End-to-end tests run the built CLI (bin/prodeng.js → dist/), exactly as a user's `npx prodeng`
 * does, including its worker threads. Build once before any test so dist/ matches the sources.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}
