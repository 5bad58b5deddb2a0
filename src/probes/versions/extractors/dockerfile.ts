/**
 * Dockerfiles (`Dockerfile`, `Dockerfile.*`, `Dockerfile-*`, `*.dockerfile`, `Containerfile`):
 * the images of `FROM [--platform=…] image[:tag][@digest] [AS name]` and of `COPY --from=image`.
 * Handles parser directives (`# escape=\``), line continuations, comments inside continued
 * instructions, heredocs, `ARG` defaults declared before the first `FROM` and substituted into it
 * (`ARG NODE=18` / `FROM node:${NODE}-alpine`), and multi-stage builds (a `FROM` or `--from` naming
 * an earlier stage is not an image). A `FROM` whose variables cannot be resolved is skipped.
 */
import type { Extractor } from '../model.js';
import { baseName, guarded, substitute, type Results } from './runtime-support.js';

const NOT_DOCKERFILES = /\.(?:dockerignore|md|txt|sh|ya?ml|json|bak|orig)$/;

function isDockerfile(path: string): boolean {
  const name = baseName(path).toLowerCase();
  if (NOT_DOCKERFILES.test(name)) return false;
  return (
    name === 'dockerfile' ||
    name === 'containerfile' ||
    name.startsWith('dockerfile.') ||
    name.startsWith('dockerfile-') ||
    name.startsWith('containerfile.') ||
    name.endsWith('.dockerfile') ||
    name.endsWith('.containerfile')
  );
}

/** Development-only Dockerfiles: in `.devcontainer/`, or named for dev/test/CI. */
function isDevDockerfile(path: string): boolean {
  if (path.startsWith('.devcontainer/') || path.includes('/.devcontainer/')) return true;
  const name = baseName(path).toLowerCase();
  return /(?:^|[.-])(?:dev|devel|development|test|tests|ci|local)(?:[.-]|$)/.test(name.replace(/^(?:dockerfile|containerfile)/, ''));
}

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Logical instructions with the line each starts on. */
export function dockerInstructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  let index = 0;
  // Parser directives: `# key=value` lines at the very top.
  for (; index < lines.length; index++) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[index]!);
    if (!directive) break;
    if (directive[1]!.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) escape = directive[2];
  }
  const instructions: Instruction[] = [];
  let current: Instruction | null = null;
  let heredocs: Array<{ delimiter: string; strip: boolean }> = [];
  for (; index < lines.length; index++) {
    const raw = lines[index]!;
    if (heredocs.length > 0) {
      const wanted = heredocs[0]!;
      const candidate = wanted.strip ? raw.replace(/^\t+/, '') : raw;
      if (candidate === wanted.delimiter) heredocs = heredocs.slice(1);
      continue;
    }
    const trimmed = raw.trim();
    if (current === null) {
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const match = /^(\S+)\s*(.*)$/.exec(trimmed)!;
      current = { keyword: match[1]!.toUpperCase(), args: '', line: index + 1 };
      const rest = match[2]!;
      if (rest.endsWith(escape)) {
        current.args = rest.slice(0, -1);
        continue;
      }
      current.args = rest;
    } else {
      if (trimmed === '' || trimmed.startsWith('#')) continue; // comments and blank lines inside a continuation
      if (trimmed.endsWith(escape)) {
        current.args += ` ${trimmed.slice(0, -1)}`;
        continue;
      }
      current.args += ` ${trimmed}`;
    }
    instructions.push(current);
    for (const heredoc of current.args.matchAll(/<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)) {
      if (current.keyword === 'RUN' || current.keyword === 'COPY' || current.keyword === 'ADD') heredocs.push({ delimiter: heredoc[3]!, strip: heredoc[1] === '-' });
    }
    current = null;
  }
  if (current !== null) instructions.push(current);
  return instructions;
}

/** Splits `A=1 B="two words" C` the way ARG reads it. */
function argDeclarations(args: string): Array<{ name: string; value: string | null }> {
  const out: Array<{ name: string; value: string | null }> = [];
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g)) {
    let value = match[2] ?? null;
    if (value !== null && /^["']/.test(value)) value = value.slice(1, -1);
    out.push({ name: match[1]!, value });
  }
  return out;
}

function readDockerfile(results: Results, text: string, dev: boolean): void {
  const globalArgs = new Map<string, string>();
  const stages = new Set<string>();
  let seenFrom = false;
  for (const instruction of dockerInstructions(text)) {
    if (instruction.keyword === 'ARG' && !seenFrom) {
      for (const { name, value } of argDeclarations(instruction.args)) {
        if (value !== null) {
          const resolved = substitute(value, globalArgs);
          if (resolved !== null) globalArgs.set(name, resolved);
        }
      }
      continue;
    }
    if (instruction.keyword === 'FROM') {
      seenFrom = true;
      const words = instruction.args.split(/\s+/).filter((word) => word !== '');
      const imageIndex = words.findIndex((word) => !word.startsWith('--'));
      const written = imageIndex >= 0 ? words[imageIndex]! : undefined;
      if (written === undefined) {
        results.error('FROM without an image', instruction.line);
        continue;
      }
      const alias = words[imageIndex + 1]?.toLowerCase() === 'as' ? words[imageIndex + 2] : undefined;
      const image = substitute(written, globalArgs);
      if (image !== null && image !== '' && !stages.has(image.toLowerCase())) {
        results.image(image, instruction.line, { dev });
      }
      if (alias) stages.add(alias.toLowerCase());
      continue;
    }
    if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') {
      const from = /(?:^|\s)--from=(\S+)/.exec(instruction.args)?.[1];
      if (!from) continue;
      const image = substitute(from.replace(/^["']|["']$/g, ''), globalArgs);
      if (image === null || image === '' || /^\d+$/.test(image) || stages.has(image.toLowerCase())) continue;
      results.image(image, instruction.line, { dev });
    }
  }
}

export const dockerfileExtractor: Extractor = {
  id: 'dockerfile',
  fileRequired: isDockerfile,
  extract: guarded((results, { path, text }) => readDockerfile(results, text, isDevDockerfile(path))),
};
