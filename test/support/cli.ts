/**
 * Runs the built CLI in a child process, the way a user or CI runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'prodeng.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Called with the child once it started (to send signals). */
  onSpawn?: (child: ChildProcess) => void;
  timeoutMs?: number;
  /** Written to the child's standard input, which is then closed (without it: empty). */
  input?: string | Uint8Array;
}

export function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', PRODENG_DB: '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // Closed at once without input: the child reads end-of-file, as from /dev/null. EPIPE when it
    // exits without reading everything is the child's business, not the test's.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    options.onSpawn?.(child);
  });
}

/** Runs the CLI and parses its stdout as JSON. */
export async function runJson<T = unknown>(args: readonly string[], options: CliOptions): Promise<{ result: CliResult; json: T }> {
  const result = await runCli(args, options);
  try {
    return { result, json: JSON.parse(result.stdout) as T };
  } catch {
    throw new Error(`expected JSON on stdout (exit ${result.code}):\n${result.stdout}\n--- stderr:\n${result.stderr}`);
  }
}
