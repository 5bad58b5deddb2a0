/**
 * Dockerfiles (`Dockerfile`, `Dockerfile.*`, `*.dockerfile`, `Containerfile`), read line by line:
 * parser directives (`# escape=`), continuations, comments inside continued instructions, and
 * heredocs (`RUN <<EOF … EOF`, whose body is the script). `FROM` images are checked for a digest
 * (`unpinned-image`) after substituting the `ARG` defaults declared before the first `FROM`;
 * stage references and `scratch` are not images. `RUN` (shell form, exec form, heredoc bodies,
 * `ONBUILD RUN`) goes to the command rules.
 */
import { imageHit, shellHitToHit, type Redact } from './evidence.js';
import type { Analysis } from './model.js';
import { analyseLine, analyseScript, type ScriptLine, type ShellOptions } from './shell.js';

/** `Dockerfile.test.ts` is a test of Dockerfiles, not one. */
const NOT_DOCKERFILES = /\.(?:dockerignore|md|txt|sh|ps1|ya?ml|json|toml|ini|xml|html|bak|orig|fixture|rej|swp|snap|lock|[cm]?[jt]sx?|py|go|rs|java|kt|rb|php|cs|c|h|cpp|png|svg|jpe?g|gif|zip|gz|tar)$/;

export function isDockerfilePath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
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

export interface DockerInstruction {
  keyword: string;
  args: string;
  line: number;
  /** Heredoc bodies that follow the instruction, one entry per line. */
  heredoc: ScriptLine[];
}

const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/** The logical instructions of a Dockerfile with the line each starts on. Linear, never throws. */
export function dockerInstructions(text: string): DockerInstruction[] {
  const lines = text.split('\n');
  let escape = '\\';
  let index = 0;
  for (; index < lines.length; index++) {
    const directive = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[index]!.replace(/\r$/, ''));
    if (!directive) break;
    if (directive[1]!.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) escape = directive[2];
  }
  const out: DockerInstruction[] = [];
  let current: DockerInstruction | null = null;
  let pending: Array<{ delimiter: string; strip: boolean }> = [];
  let owner: DockerInstruction | null = null;
  for (; index < lines.length; index++) {
    const raw = lines[index]!.replace(/\r$/, '');
    if (pending.length > 0) {
      const wanted = pending[0]!;
      const candidate = wanted.strip ? raw.replace(/^\t+/, '') : raw;
      if (candidate === wanted.delimiter) pending = pending.slice(1);
      else owner?.heredoc.push({ text: raw, line: index + 1 });
      continue;
    }
    const trimmed = raw.trim();
    if (current === null) {
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const match = /^(\S+)\s*(.*)$/.exec(trimmed)!;
      current = { keyword: match[1]!.toUpperCase(), args: '', line: index + 1, heredoc: [] };
      const rest = match[2]!;
      if (rest.endsWith(escape)) {
        current.args = rest.slice(0, -1);
        continue;
      }
      current.args = rest;
    } else {
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      if (trimmed.endsWith(escape)) {
        if (current.args.length < 65536) current.args += ` ${trimmed.slice(0, -1)}`;
        continue;
      }
      if (current.args.length < 65536) current.args += ` ${trimmed}`;
    }
    out.push(current);
    const keyword = current.keyword === 'ONBUILD' ? (/^\S+/.exec(current.args)?.[0] ?? '').toUpperCase() : current.keyword;
    if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') {
      for (const heredoc of current.args.matchAll(HEREDOC)) pending.push({ delimiter: heredoc[3]!, strip: heredoc[1] === '-' });
      owner = current;
    }
    current = null;
  }
  if (current !== null) out.push(current);
  return out;
}

/** `A=1 B="two words" C` as ARG declares them. */
function argDeclarations(args: string): Array<{ name: string; value: string | null }> {
  const out: Array<{ name: string; value: string | null }> = [];
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g)) {
    let value = match[2] ?? null;
    if (value !== null && /^["']/.test(value)) value = value.slice(1, -1);
    out.push({ name: match[1]!, value });
  }
  return out;
}

/** `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}` from `vars`; null when one stays unknown. */
export function substitute(value: string, vars: ReadonlyMap<string, string>): string | null {
  let unknown = false;
  const out = value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_whole, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const known = vars.get(name);
    if (op === '-') return known !== undefined && known !== '' ? known : (word ?? '');
    if (op === '+') return known !== undefined && known !== '' ? (word ?? '') : '';
    if (known === undefined) unknown = true;
    return known ?? '';
  });
  return unknown || out.includes('$') ? null : out;
}

/** The script of a RUN: shell form as written, exec form `["sh", "-c", "…"]` unwrapped. */
function runScript(args: string): string {
  let rest = args.trim();
  // RUN flags: --mount=…, --network=…, --security=…
  while (/^--[a-z-]+=\S*\s/.test(rest)) rest = rest.replace(/^--[a-z-]+=\S*\s+/, '');
  if (rest.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) {
        const items = parsed as string[];
        const shell = /(?:^|\/)(?:ba|z|da|a)?sh$/.test(items[0] ?? '') || /pwsh|powershell|cmd/i.test(items[0] ?? '');
        const c = items.findIndex((item) => /^(?:-c|\/c|-command)$/i.test(item));
        if (shell && c > 0 && items[c + 1] !== undefined) return items.slice(c + 1).join(' ');
        return items.map((item) => (/\s/.test(item) ? `'${item}'` : item)).join(' ');
      }
    } catch {
      // not JSON: a shell-form command that starts with `[`
    }
  }
  return rest;
}

export interface DockerfileAnalysis extends Analysis {
  /** FROM images whose variables have no default: not judged. */
  unresolved: number;
}

export function analyseDockerfile(path: string, source: string, redact: Redact, shell: Omit<ShellOptions, 'context'>): DockerfileAnalysis {
  const analysis: DockerfileAnalysis = { hits: [], errors: [], unresolved: 0 };
  const options: ShellOptions = { ...shell, context: 'dockerfile' };
  const globalArgs = new Map<string, string>();
  const stages = new Set<string>();
  let seenFrom = false;
  for (const instruction of dockerInstructions(source)) {
    let { keyword, args } = instruction;
    if (keyword === 'ONBUILD') {
      const inner = /^(\S+)\s*(.*)$/.exec(args.trim());
      if (!inner) continue;
      keyword = inner[1]!.toUpperCase();
      args = inner[2]!;
    }
    if (keyword === 'ARG' && !seenFrom) {
      for (const { name, value } of argDeclarations(args)) {
        if (value === null) continue;
        const resolved = substitute(value, globalArgs);
        if (resolved !== null) globalArgs.set(name, resolved);
      }
      continue;
    }
    if (keyword === 'FROM') {
      seenFrom = true;
      const words = args.split(/\s+/).filter((word) => word !== '');
      const imageIndex = words.findIndex((word) => !word.startsWith('--'));
      const written = words[imageIndex];
      if (written === undefined) continue;
      const alias = words[imageIndex + 1]?.toUpperCase() === 'AS' ? words[imageIndex + 2] : undefined;
      const image = substitute(written, globalArgs);
      if (image === null || image === '') analysis.unresolved++;
      else if (image.toLowerCase() !== 'scratch' && !stages.has(image.toLowerCase())) {
        const hit = imageHit(path, instruction.line, image, 'dockerfile', redact, image === written ? {} : { written: redact(written) });
        if (hit !== null) analysis.hits.push(hit);
      }
      if (alias !== undefined) stages.add(alias.toLowerCase());
      continue;
    }
    if (keyword === 'RUN') {
      const shellHits = analyseLine(runScript(args), instruction.line, options);
      if (instruction.heredoc.length > 0) {
        const body = instruction.heredoc.map((entry) => entry.text).join('\n');
        shellHits.push(...analyseScript(body, instruction.heredoc[0]!.line, options));
      }
      for (const hit of shellHits) analysis.hits.push(shellHitToHit(path, hit, 'dockerfile', redact));
    }
  }
  return analysis;
}
