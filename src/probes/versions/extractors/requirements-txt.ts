/**
 * pip requirements files: `requirements*.txt`, `*requirements*.txt`, and `*.txt` in a
 * `requirements/` folder.
 *
 * One requirement per logical line (backslash continuations joined; the line reported is the
 * first). Comments, options (`-r`, `-c`, `-e`, `-i`, `--hash`…), URLs and paths are skipped;
 * included files are not followed. Only a single `==`/`===` clause without wildcard gives a
 * version; any other specifier is kept as the constraint. Names are PEP 503-normalised.
 *
 * Direct: true, except in files compiled by pip-compile or `uv pip compile` (with `# via`
 * annotations), where a requirement is direct only when it is `via -r <file>` or via the project
 * (`(pyproject.toml)`, `(setup.py)`, `(setup.cfg)`). Dev: the file name says dev, test, lint, docs…
 */
import type { Extractor } from '../model.js';
import { basename, guarded, isBlank, isConflictMarker, pep503, snippet } from './library-support.js';

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)[ \t]*(\[[^\]]*\])?/;
const DEV_WORDS = new Set(['dev', 'develop', 'development', 'test', 'tests', 'testing', 'lint', 'linting', 'doc', 'docs', 'ci', 'typing', 'mypy', 'style', 'qa']);

function isDevFile(path: string): boolean {
  const words = path.toLowerCase().split(/[^a-z0-9]+/);
  const base = basename(path).toLowerCase().split(/[^a-z0-9]+/);
  return base.some((w) => DEV_WORDS.has(w)) || (words.includes('requirements') && words.slice(-3).some((w) => DEV_WORDS.has(w)));
}

interface Requirement {
  name: string;
  version: string | null;
  constraint?: string;
  line: number;
  via: string[];
}

/** Parses one logical line (comments and options already cut); null when it names no package. */
function parseRequirement(spec: string, line: number): Requirement | null {
  const m = NAME.exec(spec);
  if (m === null) return null;
  const name = m[1] ?? '';
  let rest = spec.slice(m[0].length).trim();
  if (rest.startsWith('@')) return { name, version: null, line, via: [] }; // PEP 508 URL requirement
  const semi = rest.indexOf(';');
  if (semi >= 0) rest = rest.slice(0, semi).trim();
  if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1).trim();
  if (rest === '') return { name, version: null, line, via: [] };
  if (!/^(==|===|!=|~=|>=|<=|>|<)/.test(rest)) return null; // not a requirement (a path, a URL, garbage)
  const clauses = rest
    .split(',')
    .map((s) => s.replace(/\s+/g, ''))
    .filter((s) => s !== '');
  const constraint = clauses.join(',');
  if (clauses.length === 1) {
    const exact = /^===?([^*,;]+)$/.exec(clauses[0] ?? '');
    if (exact !== null && exact[1] !== undefined) return { name, version: exact[1], constraint, line, via: [] };
  }
  return { name, version: null, constraint, line, via: [] };
}

/** Cuts a trailing comment: `#` at the start or after whitespace. */
function cutComment(s: string): string {
  if (s.startsWith('#')) return '';
  let k = s.indexOf('#');
  while (k > 0) {
    const prev = s.charCodeAt(k - 1);
    if (prev === 32 || prev === 9) return s.slice(0, k);
    k = s.indexOf('#', k + 1);
  }
  return s;
}

export const requirementsTxtExtractor: Extractor = {
  id: 'requirements-txt',
  fileRequired: (path) => {
    const base = basename(path);
    if (!base.endsWith('.txt')) return false;
    if (base.includes('requirements')) return true;
    const slash = path.lastIndexOf('/');
    return slash >= 0 && path.slice(path.lastIndexOf('/', slash - 1) + 1, slash) === 'requirements';
  },
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    const dev = isDevFile(c.path);
    const requirements: Requirement[] = [];
    let compiled = false;
    let last: Requirement | null = null;
    let inVia = false;
    let logical = '';
    let logicalLine = 0;
    const lines = c.text.split('\n');
    for (let k = 0; k < lines.length; k++) {
      const lineNo = k + 1;
      let raw = lines[k] ?? '';
      if (raw.endsWith('\r')) raw = raw.slice(0, -1);
      if (isConflictMarker(raw)) {
        c.error('merge conflict marker', lineNo);
        continue;
      }
      const trimmed = raw.trim();

      // pip-compile annotations: "    # via x", "    # via", "    #   x"
      if (logical === '' && trimmed.startsWith('#')) {
        const note = trimmed.slice(1).trim();
        if (note === 'via' || note.startsWith('via ')) {
          compiled = true;
          inVia = last !== null;
          const what = note.slice(3).trim();
          if (inVia && what !== '' && last !== null) last.via.push(what);
        } else if (inVia && last !== null && /^\s/.test(raw) && note !== '') last.via.push(note);
        else inVia = false;
        continue;
      }
      inVia = false;

      const content = cutComment(raw);
      if (logical === '') logicalLine = lineNo;
      const continued = /\\\s*$/.test(content);
      logical += continued ? `${content.replace(/\\\s*$/, '')} ` : content;
      if (continued && k < lines.length - 1) continue;

      let spec = logical.trim();
      logical = '';
      if (spec === '') continue;
      if (spec.startsWith('-')) {
        // an option line (-r, -c, -e, -i, --index-url, --hash…): nothing to read
        last = null;
        continue;
      }
      const option = spec.search(/\s--?[a-zA-Z]/);
      if (option >= 0) spec = spec.slice(0, option).trim();
      const req = parseRequirement(spec, logicalLine);
      last = req;
      if (req !== null) requirements.push(req);
      else if (!/^(\.{0,2}\/|[a-z+]+:\/\/|[A-Za-z]:\\)/.test(spec) && !spec.includes('/')) {
        c.error(`cannot read requirement ${snippet(spec)}`, logicalLine);
      }
    }

    for (const r of requirements) {
      let direct = true;
      if (compiled && r.via.length > 0) {
        direct = r.via.some((v) => v.startsWith('-r ') || /\((pyproject\.toml|setup\.py|setup\.cfg)\)/.test(v));
      }
      c.library('pypi', {
        name: pep503(r.name),
        version: r.version,
        ...(r.version === null && r.constraint !== undefined ? { constraint: r.constraint } : {}),
        direct,
        dev,
        line: r.line,
      });
    }
  }),
};
