/**
 * Python package versions, PEP 440 (https://peps.python.org/pep-0440/) as `packaging.version` parses
 * and orders them: [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the normalisations the PEP
 * allows (case, "alpha"/"beta"/"c"/"pre"/"preview", "rev"/"r", implicit post releases "1.0-1",
 * optional separators and numbers, a leading "v", surrounding whitespace). Strings that are not
 * PEP 440 versions (setuptools "legacy" versions) are invalid, as in current `packaging`.
 */
import { compareCore } from './semver-core.js';
import { cmpDigits, cmpText, defineScheme, isAllDigits, safeNumber, stripZeros } from './util.js';

interface LocalPart {
  numeric: boolean;
  text: string;
}

export interface PypiVersion {
  epoch: string;
  release: string[];
  /** Pre-release phase (0 = a, 1 = b, 2 = rc) and number, or null. */
  pre: { phase: number; n: string } | null;
  post: string | null;
  dev: string | null;
  local: LocalPart[] | null;
}

const PEP440 =
  /^\s*v?(?:(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?(?:[-_.]?(dev)[-_.]?([0-9]+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

function phaseOf(label: string): number {
  switch (label.toLowerCase()) {
    case 'a':
    case 'alpha':
      return 0;
    case 'b':
    case 'beta':
      return 1;
    default:
      return 2; // c, rc, pre, preview
  }
}

export function parsePypi(version: string): PypiVersion | null {
  const m = PEP440.exec(version);
  if (m === null) return null;
  const [, epoch, release, preL, preN, postN1, postL, postN2, devL, devN, local] = m;
  return {
    epoch: stripZeros(epoch ?? '0'),
    release: (release as string).split('.').map(stripZeros),
    pre: preL === undefined ? null : { phase: phaseOf(preL), n: stripZeros(preN ?? '0') },
    post:
      postN1 !== undefined ? stripZeros(postN1) : postL !== undefined ? stripZeros(postN2 ?? '0') : null,
    dev: devL === undefined ? null : stripZeros(devN ?? '0'),
    local:
      local === undefined
        ? null
        : local
            .toLowerCase()
            .split(/[-_.]/)
            .map((text) =>
              isAllDigits(text) ? { numeric: true, text: stripZeros(text) } : { numeric: false, text },
            ),
  };
}

/** packaging's sort key for the pre-release: dev-only releases first, no pre-release last. */
function comparePreKey(a: PypiVersion, b: PypiVersion): number {
  const rank = (v: PypiVersion): number =>
    v.pre === null && v.post === null && v.dev !== null ? -1 : v.pre === null ? 1 : 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra !== 0 || a.pre === null || b.pre === null) return 0;
  return a.pre.phase - b.pre.phase || cmpDigits(a.pre.n, b.pre.n);
}

function compareOptional(a: string | null, b: string | null, missingFirst: boolean): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === missingFirst ? -1 : 1;
  }
  return cmpDigits(a, b);
}

function compareLocal(a: LocalPart[] | null, b: LocalPart[] | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as LocalPart;
    const y = b[i] as LocalPart;
    let r: number;
    if (x.numeric && y.numeric) r = cmpDigits(x.text, y.text);
    else if (x.numeric) r = 1; // numbers sort above strings in local versions
    else if (y.numeric) r = -1;
    else r = cmpText(x.text, y.text);
    if (r !== 0) return r;
  }
  return a.length - b.length;
}

export function comparePypi(a: PypiVersion, b: PypiVersion): number {
  return (
    cmpDigits(a.epoch, b.epoch) ||
    compareCore(a.release, b.release) ||
    comparePreKey(a, b) ||
    compareOptional(a.post, b.post, true) ||
    compareOptional(a.dev, b.dev, false) ||
    compareLocal(a.local, b.local)
  );
}

export const pypi = defineScheme<PypiVersion>({
  id: 'pypi',
  parse: parsePypi,
  compare: comparePypi,
  isStable: (v) => v.pre === null && v.dev === null,
  major: (v) => safeNumber(v.release[0] ?? '0'),
});
