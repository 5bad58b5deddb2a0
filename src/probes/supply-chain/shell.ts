/**
 * Shell command analysis shared by workflows, CI files, Dockerfiles, shell scripts and Makefiles:
 * a quote-aware split into logical lines, commands and pipeline stages (linear, no regular
 * expression backtracking), and the two command rules:
 *
 * - `curl-pipe-shell`: a downloader (`curl`, `wget`, PowerShell `iwr`/`irm`/`DownloadString`) piped
 *   into an interpreter that reads its program from stdin (`sh`, `bash -s`, `python -`, `iex`…),
 *   or fed through process or command substitution (`bash <(curl …)`, `sh -c "$(curl …)"`,
 *   `eval "$(wget -O- …)"`, `iex (iwr …)`).
 * - `npm-install-in-ci`: `npm install`, `yarn install` without `--frozen-lockfile`/`--immutable`,
 *   `pnpm install` without `--frozen-lockfile`, `pip install` without `--require-hashes`.
 *
 * Scripts passed to `sh -c '…'`/`bash -c "…"`/`eval '…'` are analysed as well (three levels deep).
 */
import type { Severity } from '../../core/model.js';

export interface ScriptLine {
  text: string;
  line: number;
}

export type ScriptContext = 'github-workflow' | 'github-action' | 'ci' | 'dockerfile' | 'script' | 'makefile';

export interface ShellOptions {
  context: ScriptContext;
  /** A yarn berry project (`.yarnrc.yml`): `yarn install` is immutable by default under CI. */
  yarnBerry: boolean;
}

export interface ShellHit {
  rule: 'curl-pipe-shell' | 'npm-install-in-ci';
  kind: string;
  severity: Severity;
  /** The command as written (a logical line for curl-pipe-shell, one command for installs). */
  command: string;
  line: number;
  /** The package manager of an install finding. */
  tool?: string;
}

/** A CI context runs with `CI=true` (pnpm and yarn berry freeze the lockfile there by default). */
function isCi(context: ScriptContext): boolean {
  return context === 'github-workflow' || context === 'github-action' || context === 'ci';
}

const MAX_LINE = 65536;

/**
 * Logical lines: backslash-newline continuations joined, comment-only lines dropped. In Makefiles
 * `$$` is the shell's `$` and recipe prefixes (`@`, `-`, `+`) are dropped.
 */
export function logicalLines(script: string, firstLine: number, makefile = false): ScriptLine[] {
  const out: ScriptLine[] = [];
  const physical = script.split('\n');
  let current: ScriptLine | null = null;
  for (let index = 0; index < physical.length; index++) {
    let raw = physical[index]!;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    let trailing = 0;
    while (trailing < raw.length && raw.charCodeAt(raw.length - 1 - trailing) === 92) trailing++;
    const continues = trailing % 2 === 1;
    const body = continues ? raw.slice(0, -1) : raw;
    if (current === null) {
      const trimmed = body.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      current = { text: body, line: firstLine + index };
    } else if (current.text.length < MAX_LINE) {
      current.text += ` ${body.trim()}`;
    }
    if (!continues) {
      out.push(current);
      current = null;
    }
  }
  if (current !== null) out.push(current);
  if (makefile) {
    for (const line of out) line.text = line.text.replace(/^\s*[@+-]*/, '').replaceAll('$$', '$');
  }
  return out;
}

/**
 * Splits a command line into pipelines of stages at unquoted `;`, `&&`, `||`, `&`, newlines and
 * subshell parentheses, and the pipelines into stages at `|` and `|&`. Quotes, backslashes and
 * `$( … )`, `<( … )`, `` ` … ` `` are respected; a `#` starting a word ends the line.
 */
export function pipelines(text: string): string[][] {
  const out: string[][] = [];
  let stages: string[] = [];
  let start = 0;
  let depth = 0;
  let quote: string | null = null;
  const n = Math.min(text.length, MAX_LINE);
  const cut = (end: number): void => {
    const stage = text.slice(start, end).trim();
    if (stage !== '') stages.push(stage);
  };
  const endPipeline = (end: number): void => {
    cut(end);
    if (stages.length > 0) out.push(stages);
    stages = [];
  };
  for (let i = 0; i < n; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (quote !== null) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      continue;
    }
    if (c === '(') {
      const prev = text[i - 1];
      if (depth > 0 || prev === '$' || prev === '<' || prev === '>') depth++;
      else {
        endPipeline(i);
        start = i + 1;
      }
      continue;
    }
    if (c === ')') {
      if (depth > 0) depth--;
      else {
        endPipeline(i);
        start = i + 1;
      }
      continue;
    }
    if (depth > 0) continue;
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0 || nl >= n) {
        endPipeline(i);
        start = n;
        break;
      }
      endPipeline(i);
      i = nl;
      start = nl + 1;
      continue;
    }
    if (c === '|') {
      const next = text[i + 1];
      if (next === '|') {
        endPipeline(i);
        i++;
        start = i + 1;
      } else {
        cut(i);
        if (next === '&') i++;
        start = i + 1;
      }
      continue;
    }
    if (c === '&') {
      const next = text[i + 1];
      const prev = text[i - 1];
      if (next === '&') {
        endPipeline(i);
        i++;
        start = i + 1;
      } else if (prev !== '>' && prev !== '<' && next !== '>') {
        endPipeline(i);
        start = i + 1;
      }
      continue;
    }
    if (c === ';' || c === '\n') {
      endPipeline(i);
      start = i + 1;
    }
  }
  endPipeline(n);
  return out;
}

/** Words of one command with quotes removed (`$(…)` kept whole inside its word). */
export function words(stage: string): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | null = null;
  let depth = 0;
  const n = Math.min(stage.length, MAX_LINE);
  for (let i = 0; i < n; i++) {
    const c = stage[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
      continue;
    }
    if (c === '\\' && i + 1 < n) {
      word += stage[i + 1];
      inWord = true;
      i++;
      continue;
    }
    if (quote !== null) {
      if (c === quote) quote = null;
      else word += c;
      continue;
    }
    if ((c === "'" || c === '"') && depth === 0) {
      quote = c;
      inWord = true;
      continue;
    }
    if (c === '(' && (stage[i - 1] === '$' || stage[i - 1] === '<' || depth > 0)) depth++;
    else if (c === ')' && depth > 0) depth--;
    if (depth === 0 && (c === ' ' || c === '\t' || c === '\n' || c === '\r')) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
      continue;
    }
    word += c;
    inWord = true;
  }
  if (inWord) out.push(word);
  return out;
}

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'time', 'nohup', 'command', 'exec', 'builtin']);
/** sudo options that take an argument. */
const SUDO_ARG = new Set(['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T']);

/** The words of the command proper: leading assignments and wrappers (`sudo`, `env`, `nice`…) dropped. */
export function commandWords(all: readonly string[]): string[] {
  let i = 0;
  for (let guard = 0; guard < 64 && i < all.length; guard++) {
    const w = all[i]!;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || KEYWORDS.has(w)) {
      i++;
      continue;
    }
    const base = w.slice(w.lastIndexOf('/') + 1);
    if (base === 'sudo' || base === 'doas') {
      i++;
      while (i < all.length && all[i]!.startsWith('-')) i += SUDO_ARG.has(all[i]!) ? 2 : 1;
      continue;
    }
    if (base === 'env') {
      i++;
      while (i < all.length && (all[i]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(all[i]!))) i += all[i] === '-u' || all[i] === '-C' ? 2 : 1;
      continue;
    }
    if (base === 'nice' || base === 'timeout' || base === 'stdbuf' || base === 'ionice') {
      i++;
      while (i < all.length && all[i]!.startsWith('-')) i += all[i] === '-n' ? 2 : 1;
      if (base === 'timeout' && i < all.length) i++;
      continue;
    }
    break;
  }
  return all.slice(i);
}

const commandName = (word: string | undefined): string => (word === undefined ? '' : word.slice(word.lastIndexOf('/') + 1).replace(/\.exe$/i, '').toLowerCase());

const SH_FAMILY = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh', 'fish', 'busybox']);
const INTERPRETERS = new Set([...SH_FAMILY, 'python', 'python2', 'python3', 'perl', 'ruby', 'node', 'php', 'pwsh', 'powershell']);
/** Options that make an interpreter take its program from the command line, not stdin. */
const INLINE_PROGRAM: Record<string, readonly string[]> = {
  python: ['-c', '-m'],
  perl: ['-e', '-E'],
  ruby: ['-e'],
  node: ['-e', '-p', '--eval', '--print'],
  php: ['-r'],
  pwsh: ['-c', '-command', '-f', '-file', '-encodedcommand', '-e'],
};
const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'iwr', 'irm', 'invoke-webrequest', 'invoke-restmethod', 'http', 'https', 'aria2c']);

function interpreterFamily(name: string): string {
  if (/^python[0-9.]*$/.test(name)) return 'python';
  if (name === 'powershell') return 'pwsh';
  return name;
}

/** Does this stage run a program it reads from stdin? */
function readsProgramFromStdin(command: readonly string[]): boolean {
  const name = commandName(command[0]);
  if (name === 'iex' || name === 'invoke-expression') return true;
  if (name === 'busybox') return SH_FAMILY.has(commandName(command[1])) && readsProgramFromStdin(command.slice(1));
  const family = interpreterFamily(name);
  if (!INTERPRETERS.has(name) && !INTERPRETERS.has(family)) return false;
  const shell = SH_FAMILY.has(name);
  const inline = INLINE_PROGRAM[family] ?? [];
  let stdinFlag = false;
  for (let i = 1; i < command.length; i++) {
    const w = command[i]!;
    if (w === '-') return true;
    if (w === '--') return stdinFlag || i === command.length - 1;
    if (w.startsWith('-')) {
      if (inline.includes(w.toLowerCase())) return false;
      if (shell && /^-[a-z]*c[a-z]*$/i.test(w)) return false;
      if (shell && /^-[a-z]*s[a-z]*$/i.test(w)) stdinFlag = true;
      continue;
    }
    // A script file or another argument: the program comes from there, unless -s was given.
    return stdinFlag;
  }
  return true;
}

function isDownload(stage: string, command: readonly string[]): boolean {
  return DOWNLOADERS.has(commandName(command[0])) || /DownloadString\s*\(|\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b/i.test(stage) || /^\$?\(?\s*(?:curl|wget)\b/.test(stage);
}

const SUBSTITUTION_PATTERNS: RegExp[] = [
  // bash <(curl …), source <(wget …), . <(curl …)
  /(?:^|[\s;&|(])(?:\S{0,64}\/)?(?:(?:ba|z|k|da|a|mk)?sh|source|\.)(?:\s+-[A-Za-z-]{1,20}){0,4}\s+<\(\s*(?:sudo\s+)?(?:curl|wget)\b/,
  // sh -c "$(curl …)", python3 -c "$(wget -O- …)"
  /(?:^|[\s;&|(])(?:\S{0,64}\/)?(?:(?:ba|z|k|da|a|mk)?sh|python[0-9.]{0,4}|perl|ruby|node)(?:\s+-[A-Za-z-]{1,20}){0,4}\s+-c\s+["']?(?:\$\(|`)\s*(?:sudo\s+)?(?:curl|wget)\b/,
  // eval "$(curl …)"
  /(?:^|[\s;&|(])eval\s+["']?(?:\$\(|`)\s*(?:sudo\s+)?(?:curl|wget)\b/,
  // iex (iwr …), Invoke-Expression ((New-Object Net.WebClient).DownloadString(…)), iex "& { $(irm …) }"
  /(?:^|[\s;&|(])(?:iex|Invoke-Expression)\s*[("'&{$\s]{0,12}(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod|curl|wget|New-Object\s+(?:System\.)?Net\.WebClient)\b/i,
];

/** Keys of install commands (what to report and how severe), or null when the command is fine. */
function installFinding(command: readonly string[], options: ShellOptions): { kind: string; severity: Severity; tool: string } | null {
  const name = commandName(command[0]);
  let rest = command.slice(1);
  if (/^python[0-9.]*$/.test(name) || name === 'py') {
    const m = rest.indexOf('-m');
    if (m < 0 || (rest[m + 1] !== 'pip' && rest[m + 1] !== 'pip3')) return null;
    return pipFinding(rest.slice(m + 2));
  }
  if (name === 'pip' || name === 'pip3' || /^pip3\.\d+$/.test(name)) return pipFinding(rest);
  if (name === 'npm') return npmFinding(rest);
  if (name === 'yarn') return yarnFinding(rest, options);
  if (name === 'pnpm') {
    rest = skipOptions(rest, PNPM_ARG_OPTIONS);
    return pnpmFinding(rest, options);
  }
  return null;
}

const NPM_INSTALL = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add']);
const NPM_ARG_OPTIONS = new Set(['--prefix', '-w', '--workspace', '--registry', '--cache', '--userconfig', '--omit', '--include', '--tag', '--install-strategy', '--loglevel', '--before', '-C']);
const PNPM_ARG_OPTIONS = new Set(['-C', '--dir', '--filter', '-F', '-w', '--workspace-root', '--reporter', '--store-dir', '--registry', '--loglevel']);

/** Drops leading options (and the values of those that take one). */
function skipOptions(args: readonly string[], withArg: ReadonlySet<string>): string[] {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i += withArg.has(args[i]!) ? 2 : 1;
  return args.slice(i);
}

/** Package arguments of an install (non-option words, skipping option values). */
function packageArgs(args: readonly string[], withArg: ReadonlySet<string>): { packages: string[]; flags: string[] } {
  const packages: string[] = [];
  const flags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w.startsWith('-')) {
      flags.push(w);
      if (withArg.has(w)) i++;
    } else packages.push(w);
  }
  return { packages, flags };
}

/** `name@1.2.3` / `@scope/name@1.2.3`: an exact version. */
function isExactSpec(spec: string): boolean {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return false;
  return /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/.test(spec.slice(at + 1));
}

function npmFinding(args: readonly string[]): { kind: string; severity: Severity; tool: string } | null {
  const rest = skipOptions(args, NPM_ARG_OPTIONS);
  const sub = rest[0];
  if (sub === undefined || !NPM_INSTALL.has(sub)) return null;
  const { packages, flags } = packageArgs(rest.slice(1), NPM_ARG_OPTIONS);
  const global = flags.some((f) => f === '-g' || f === '--global' || f === '--location=global') || args.some((f) => f === '-g' || f === '--global');
  if (global) {
    // Tools installed globally at exact versions are pinned; the project's lockfile is not involved.
    if (packages.length > 0 && packages.every(isExactSpec)) return null;
    return { kind: 'npm-install-global-unpinned', severity: 'low', tool: 'npm' };
  }
  if (packages.length === 0) return { kind: 'npm-install', severity: 'medium', tool: 'npm' };
  return { kind: 'npm-install-package', severity: packages.every(isExactSpec) ? 'low' : 'medium', tool: 'npm' };
}

const YARN_ARG_OPTIONS = new Set(['--cwd', '--modules-folder', '--cache-folder', '--registry', '--network-timeout', '--mutex']);

function yarnFinding(args: readonly string[], options: ShellOptions): { kind: string; severity: Severity; tool: string } | null {
  const rest = skipOptions(args, YARN_ARG_OPTIONS);
  const sub = rest[0];
  const flags = [...args.filter((w) => w.startsWith('-'))];
  if (sub === undefined || sub === 'install') {
    if (flags.some((f) => f === '--frozen-lockfile' || f === '--immutable' || f === '--frozen-lockfile=true' || f === '--immutable=true')) return null;
    // Yarn 2+ turns on --immutable by itself when CI is set.
    if (options.yarnBerry && isCi(options.context)) return null;
    return { kind: 'yarn-install', severity: 'medium', tool: 'yarn' };
  }
  if (sub === 'add') return { kind: 'yarn-add', severity: 'medium', tool: 'yarn' };
  return null;
}

function pnpmFinding(rest: readonly string[], options: ShellOptions): { kind: string; severity: Severity; tool: string } | null {
  const sub = rest[0];
  if (sub === undefined) return null;
  const flags = rest.filter((w) => w.startsWith('-'));
  if (sub === 'install' || sub === 'i') {
    if (flags.includes('--no-frozen-lockfile') || flags.includes('--frozen-lockfile=false')) return { kind: 'pnpm-install-unfrozen', severity: 'medium', tool: 'pnpm' };
    if (flags.includes('--frozen-lockfile') || flags.includes('--frozen-lockfile=true')) return null;
    // pnpm freezes the lockfile by default when CI is set; say it explicitly anyway.
    return isCi(options.context) ? { kind: 'pnpm-install-implicit', severity: 'low', tool: 'pnpm' } : { kind: 'pnpm-install', severity: 'medium', tool: 'pnpm' };
  }
  if (sub === 'add') {
    if (flags.includes('-g') || flags.includes('--global')) return null;
    return { kind: 'pnpm-add', severity: 'medium', tool: 'pnpm' };
  }
  return null;
}

const PIP_ARG_OPTIONS = new Set(['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-t', '--target', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '--prefix', '--root', '--platform', '--python-version', '--implementation', '--abi', '--trusted-host', '--cache-dir', '--src', '--progress-bar', '--upgrade-strategy', '--only-binary', '--no-binary']);
const PIP_TOOLS = new Set(['pip', 'setuptools', 'wheel']);

function pipFinding(args: readonly string[]): { kind: string; severity: Severity; tool: string } | null {
  const rest = skipOptions(args, new Set(['--python', '--log', '--cache-dir']));
  if (rest[0] !== 'install') return null;
  const { packages, flags } = packageArgs(rest.slice(1), PIP_ARG_OPTIONS);
  if (flags.includes('--require-hashes')) return null;
  const requirements = flags.some((f) => f === '-r' || f === '--requirement' || f.startsWith('--requirement=') || f.startsWith('-r'));
  // Upgrading the installer itself (`pip install -U pip setuptools wheel`) is tooling.
  if (!requirements && packages.length > 0 && packages.every((p) => PIP_TOOLS.has(p.toLowerCase().replace(/[<>=!~].*$/, '')))) return null;
  return { kind: 'pip-install', severity: 'low', tool: 'pip' };
}

/** The script of `sh -c '…'` / `bash -lc "…"` / `eval …`, if the command is one. */
function innerScript(command: readonly string[]): string | null {
  const name = commandName(command[0]);
  if (name === 'eval') return command.slice(1).join(' ');
  if (!SH_FAMILY.has(name)) return null;
  for (let i = 1; i < command.length; i++) {
    const w = command[i]!;
    if (/^-[a-z]*c[a-z]*$/i.test(w)) return command[i + 1] ?? null;
    if (!w.startsWith('-')) return null;
  }
  return null;
}

/** Analyses one logical line; `depth` bounds recursion into `sh -c` scripts. */
export function analyseLine(text: string, line: number, options: ShellOptions, depth = 0): ShellHit[] {
  const hits: ShellHit[] = [];
  const command = text.trim();
  if (command === '') return hits;
  let piped = SUBSTITUTION_PATTERNS.some((pattern) => pattern.test(command.length > MAX_LINE ? command.slice(0, MAX_LINE) : command));
  const checkInstalls = options.context !== 'script' && options.context !== 'makefile';
  for (const stages of pipelines(command)) {
    const stageWords = stages.map((stage) => commandWords(words(stage)));
    let downloaded = false;
    stages.forEach((stage, index) => {
      const cmd = stageWords[index]!;
      if (downloaded && readsProgramFromStdin(cmd)) piped = true;
      if (isDownload(stage, cmd)) downloaded = true;
      if (checkInstalls) {
        const install = installFinding(cmd, options);
        if (install !== null) hits.push({ rule: 'npm-install-in-ci', kind: install.kind, severity: install.severity, command: stage, line, tool: install.tool });
      }
      const inner = depth < 3 ? innerScript(cmd) : null;
      if (inner !== null) {
        for (const hit of analyseScriptText(inner, line, options, depth + 1)) {
          if (hit.rule === 'curl-pipe-shell') piped = true;
          else hits.push(hit);
        }
      }
    });
  }
  if (piped) hits.unshift({ rule: 'curl-pipe-shell', kind: 'download-piped-to-shell', severity: 'high', command, line });
  return hits;
}

function analyseScriptText(script: string, line: number, options: ShellOptions, depth: number): ShellHit[] {
  return logicalLines(script, line).flatMap((logical) => analyseLine(logical.text, line, options, depth));
}

/** Analyses a script whose first line is `firstLine`. */
export function analyseScript(script: string, firstLine: number, options: ShellOptions): ShellHit[] {
  return logicalLines(script, firstLine, options.context === 'makefile').flatMap((logical) => analyseLine(logical.text, logical.line, options));
}
