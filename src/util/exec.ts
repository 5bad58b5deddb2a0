/**
 * Runs external programs (git and, later, version commands) with a bounded time and output, and
 * without a shell, so repository-controlled text can never become a command.
 */
import { execFile } from 'node:child_process';

export interface ExecResult {
  stdout: Buffer;
  stderr: string;
}

export class CommandNotFoundError extends Error {
  readonly code = 'command-not-found';
  constructor(readonly command: string) {
    super(`${command} is not installed or not on PATH`);
    this.name = 'CommandNotFoundError';
  }
}

export class CommandFailedError extends Error {
  readonly code = 'command-failed';
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${command} ${args.slice(0, 3).join(' ')} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${stderr.trim().split('\n')[0] ?? ''}`);
    this.name = 'CommandFailedError';
  }
}

export interface ExecOptions {
  cwd?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Upper bound on stdout; large repositories list many files. */
  maxBuffer?: number;
  env?: NodeJS.ProcessEnv;
}

export function exec(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        signal: options.signal,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: options.maxBuffer ?? 512 * 1024 * 1024,
        encoding: 'buffer',
        env: options.env ?? process.env,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' && !options.signal?.aborted) {
            reject(new CommandNotFoundError(command));
            return;
          }
          if (error.name === 'AbortError') {
            reject(error);
            return;
          }
          const exitCode = typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null;
          reject(new CommandFailedError(command, args, exitCode, stderr.toString('utf8') || error.message));
          return;
        }
        resolve({ stdout, stderr: stderr.toString('utf8') });
      },
    );
  });
}
