/**
 * Gemfile.lock (Bundler). Specs come from the GEM (rubygems, with purl), GIT (no purl) and PATH
 * (the project's own gems: no component) sections, four-space indented `name (version)`; platform
 * suffixes (`1.13.10-x86_64-linux`) are stripped. Direct: the DEPENDENCIES section, plus the
 * dependencies of PATH gems (a `gemspec` project's runtime dependencies). Bundler does not record
 * groups in the lockfile, so `dev` is false. `RUBY VERSION` gives a runtime component (product
 * `ruby`).
 *
 * Dependency graph: a gem's `id` is `name@version` (platform suffix stripped, so per-platform
 * copies share it) and `dependsOn` the specs named by the six-space indented lines under it.
 */
import type { Extractor } from '../model.js';
import type { Collector } from './library-support.js';
import { basename, guarded, isBlank, isConflictMarker, majorMinor, snippet } from './library-support.js';

const PLATFORM_HINT = /^(x86|x64|x86_64|i[3-6]86|arm|aarch64|universal|java|jruby|mswin|mingw|darwin|linux|ruby|dalvik|wasm|mips|powerpc|ppc|s390)/;

interface Spec {
  name: string;
  version: string;
  section: string;
  line: number;
  deps: string[];
}

/** `name (version)` or `name (constraint)` or `name` / `name!`: the name and the parenthesised text. */
function nameAndParen(s: string): { name: string; paren: string | null } {
  const open = s.indexOf(' (');
  if (open < 0) return { name: s.replace(/!$/, ''), paren: null };
  const close = s.lastIndexOf(')');
  return { name: s.slice(0, open).replace(/!$/, ''), paren: s.slice(open + 2, close > open ? close : s.length) };
}

function read(c: Collector): void {
  const specs: Spec[] = [];
  const platforms = new Set<string>();
  const declared = new Set<string>();
  let section = '';
  let current: Spec | null = null;
  const lines = c.text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const lineNo = k + 1;
    let raw = lines[k] ?? '';
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.trim() === '') continue;
    if (isConflictMarker(raw)) {
      c.error('merge conflict marker', lineNo);
      continue;
    }
    if (!raw.startsWith(' ')) {
      section = raw.trim();
      current = null;
      continue;
    }
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    const body = raw.slice(indent).trimEnd();
    switch (section) {
      case 'GEM':
      case 'GIT':
      case 'PATH':
      case 'PLUGIN SOURCE': {
        if (indent === 4) {
          const { name, paren } = nameAndParen(body);
          if (paren === null || name === '') {
            c.error(`cannot read spec ${snippet(body)}`, lineNo);
            current = null;
            continue;
          }
          current = { name, version: paren, section, line: lineNo, deps: [] };
          specs.push(current);
        } else if (indent === 6 && current !== null) {
          current.deps.push(nameAndParen(body).name);
        }
        break;
      }
      case 'PLATFORMS':
        platforms.add(body);
        break;
      case 'DEPENDENCIES':
        if (indent === 2) declared.add(nameAndParen(body).name);
        break;
      case 'RUBY VERSION': {
        const m = /^ruby (\d+(?:\.\d+)*)/.exec(body);
        if (m?.[1] !== undefined) {
          const cycle = majorMinor(m[1]);
          c.add({
            kind: 'runtime',
            name: 'ruby',
            version: m[1],
            ecosystem: null,
            direct: true,
            dev: false,
            product: 'ruby',
            ...(cycle !== undefined ? { cycle } : {}),
            source: { path: c.path, line: lineNo },
          });
        }
        break;
      }
      default:
        break; // BUNDLED WITH, CHECKSUMS, unknown sections
    }
  }

  for (const s of specs) if (s.section === 'PATH') for (const d of s.deps) declared.add(d);
  const versionOf = (s: Spec): string => {
    const dash = s.version.indexOf('-');
    if (dash > 0) {
      const suffix = s.version.slice(dash + 1);
      if (platforms.has(suffix) || PLATFORM_HINT.test(suffix)) return s.version.slice(0, dash);
    }
    return s.version;
  };
  const idsByName = new Map<string, string[]>();
  for (const s of specs) {
    if (s.section === 'PATH' || s.section === 'PLUGIN SOURCE') continue;
    const id = `${s.name}@${versionOf(s)}`;
    const ids = idsByName.get(s.name) ?? [];
    if (!ids.includes(id)) ids.push(id);
    idsByName.set(s.name, ids);
  }
  for (const s of specs) {
    if (s.section === 'PATH' || s.section === 'PLUGIN SOURCE') continue;
    const version = versionOf(s);
    c.library('rubygems', {
      name: s.name,
      version,
      direct: declared.has(s.name),
      dev: false,
      line: s.line,
      purl: s.section === 'GEM' ? undefined : null,
      id: `${s.name}@${version}`,
      dependsOn: s.deps.flatMap((d) => idsByName.get(d) ?? []),
    });
  }
}

export const gemfileLockExtractor: Extractor = {
  id: 'gemfile-lock',
  fileRequired: (path) => {
    const base = basename(path);
    return base === 'Gemfile.lock' || base === 'gems.locked';
  },
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    read(c);
  }),
};
