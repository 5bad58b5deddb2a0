/**
 * Writing a command's output, and the error for when it cannot be written (exit 4). Apart from
 * context.ts so that light commands and the entry point load nothing else.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Io } from './context.js';

export class OutputError extends Error {
  readonly code = 'output';
}

export function writeOutput(text: string, file: string | undefined, io: Io): void {
  if (file === undefined || file === '-') {
    io.stdout.write(text);
    return;
  }
  try {
    writeFileSync(resolve(io.cwd, file), text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message;
    throw new OutputError(`cannot write --output ${file}: ${why}`);
  }
}
