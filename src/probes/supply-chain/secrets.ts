/**
 * The secret scanner: committed credentials in a file's text. It returns the values it finds
 * (they are needed to hash them and to scrub them from everything else the probe reports) but
 * nothing it returns is ever meant to be printed: `describeSecret` gives the only printable form —
 * kind, length, first four characters and a SHA-256 prefix.
 *
 * Detectors, most specific first: PEM/OpenSSH/PGP private keys (a GCP service-account key when
 * the file also has `"client_email"`), AWS access key ids (with a secret access key within five
 * lines, or alone), GitHub, GitLab, Slack, npm and Stripe live tokens by their documented
 * prefixes, Slack webhooks, and generic `password|secret|token|api_key… = "value"` assignments
 * whose value is long enough, has enough Shannon entropy and is no placeholder. Every regular
 * expression is linear in the text (bounded repetitions, no nested quantifiers).
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../../core/model.js';
import { lowerBound } from '../../util/search.js';
import type { Hit } from './model.js';

export const SECRET_KINDS = [
  'private-key',
  'encrypted-private-key',
  'gcp-service-account-key',
  'aws-access-key',
  'stripe-live-key',
  'github-token',
  'gitlab-token',
  'npm-token',
  'slack-token',
  'slack-webhook',
  'generic',
  'aws-access-key-id',
] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

/** Severity per kind (documented in readme.md). */
export const SECRET_SEVERITY: Record<SecretKind, Severity> = {
  'private-key': 'critical',
  'encrypted-private-key': 'high',
  'gcp-service-account-key': 'critical',
  'aws-access-key': 'critical',
  'stripe-live-key': 'critical',
  'github-token': 'high',
  'gitlab-token': 'high',
  'npm-token': 'high',
  'slack-token': 'high',
  'slack-webhook': 'medium',
  generic: 'medium',
  'aws-access-key-id': 'low',
};

export const SECRET_LABEL: Record<SecretKind, string> = {
  'private-key': 'private key',
  'encrypted-private-key': 'encrypted private key',
  'gcp-service-account-key': 'GCP service account key',
  'aws-access-key': 'AWS access key (id and secret)',
  'stripe-live-key': 'Stripe live secret key',
  'github-token': 'GitHub token',
  'gitlab-token': 'GitLab personal access token',
  'npm-token': 'npm access token',
  'slack-token': 'Slack token',
  'slack-webhook': 'Slack incoming webhook URL',
  generic: 'high-entropy secret assignment',
  'aws-access-key-id': 'AWS access key id (no secret key nearby)',
};

export interface SecretMatch {
  kind: SecretKind;
  /** The credential itself. Only for hashing and scrubbing: never put it in a finding, a log or an error. */
  value: string;
  /** Other sensitive strings of the same credential (the AWS key id beside its secret), to scrub too. */
  related: string[];
  line: number;
  /** For generic assignments: the name the value is assigned to (`DB_PASSWORD`). */
  name?: string;
}

export interface SecretScanOptions {
  entropyThreshold: number;
  minLength: number;
  /** Unquoted values are considered (`.env`, YAML, properties, shell): see `allowsUnquoted`. */
  unquoted: boolean;
}

/** The printable description of a secret: never the value. */
export interface SecretDescription {
  redacted: string;
  length: number;
  sha256: string;
}

export function sha256Prefix(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

export function describeSecret(value: string): SecretDescription {
  return { redacted: `${value.slice(0, 4)}…`, length: value.length, sha256: sha256Prefix(value) };
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  const n = [...value].length;
  for (const count of counts.values()) {
    const p = count / n;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** Files whose values are commonly written without quotes (config, env, shell). */
export function allowsUnquoted(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name.startsWith('.env') || name.endsWith('.env') || name === '.npmrc' || name === '.pypirc' || name === '.netrc' || name === 'dockerfile' || name === '.envrc') return true;
  return /\.(?:properties|ini|cfg|conf|ya?ml|toml|sh|bash|zsh|ksh|envrc|tfvars)$/.test(name);
}

// ------------------------------------------------------------------------------------ detectors

const TOKEN_RE =
  /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{60,255}|glpat-[A-Za-z0-9_-]{20,64}|xox[baprs]-[A-Za-z0-9-]{10,250}|npm_[A-Za-z0-9]{36}|[sr]k_live_[A-Za-z0-9]{20,247}|(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Za-z0-9_])/g;
const SLACK_WEBHOOK_RE = /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,200}/g;
const PEM_RE = /-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY(?: BLOCK)?-----/g;
const AWS_SECRET_RE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
const KEYWORD_RE = /password|passwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|auth[_.-]?key|credential/i;
const ASSIGN_RE =
  /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{0,48}?(?:password|passwd|secret|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|auth[_.-]?key|credentials?))["']?[ \t]*(?::=|=>|=|:)[ \t]*(?:"([^"\r\n]{1,1024})"|'([^'\r\n]{1,1024})'|`([^`\r\n]{1,1024})`|([^\s"'`,;=][^\s"'`,;]{0,1023}))/gi;
const ALLOW_MARKER = /gitleaks:allow|pragma: allowlist secret|prodeng:allow-secret/;
/** Lines longer than this (minified code, data blobs) get the prefix detectors only. */
const MAX_GENERIC_LINE = 8192;

const PLACEHOLDER_WORDS = [
  'example',
  'changeme',
  'change_me',
  'change-me',
  'placeholder',
  'dummy',
  'fake',
  'sample',
  'redacted',
  'your_',
  'your-',
  'yourtoken',
  'insert',
  'replace',
  'xxxx',
  '****',
  '....',
  '----',
  'todo',
  'fixme',
  'test',
  'secret',
  'password',
  'token',
  'undefined',
  'null',
];

/** An ascending run of six characters (`abcdef`, `123456`) — typed, not random. */
function hasSequence(value: string): boolean {
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    if (value.charCodeAt(i) === value.charCodeAt(i - 1) + 1) {
      if (++run >= 6) return true;
    } else run = 1;
  }
  return false;
}

/** Values that are not credentials: templates, references, placeholders, paths, URLs, prose. */
export function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  if (/\s/.test(value)) return true;
  if (/^(.)\1*$/.test(value)) return true;
  if (/^[$%@#<{[(*&]/.test(value) || /\$\{|\{\{|\}\}|\$\(|%\(|#\{|<[^>]*>/.test(value)) return true;
  if (lower.includes('://') || /^(?:\.{0,2}\/|~\/)/.test(value)) return true;
  if (/\.(?:pem|key|crt|cer|json|ya?ml|txt|p12|pfx|jks|der|env|gpg|asc)$/i.test(value)) return true;
  if (/[()]/.test(value)) return true;
  // CONSTANT_NAMES and dotted.references are names, not values.
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value) || /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return true;
  if (PLACEHOLDER_WORDS.some((word) => lower.includes(word))) return true;
  return hasSequence(value);
}

/** Offsets of line starts; `lineAt` by binary search. */
class Lines {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    let i = text.indexOf('\n');
    while (i !== -1) {
      this.starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
  }
  get count(): number {
    return this.starts.length;
  }
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  /** The text of 1-based line `line` (without its newline). */
  get(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    const next = this.starts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1).replace(/\r$/, '');
  }
  /** Offset where 1-based line `line` starts (clamped to the text). */
  start(line: number): number {
    if (line <= 1) return 0;
    return this.starts[line - 1] ?? this.text.length;
  }
}

function tokenKind(token: string): SecretKind {
  if (token.startsWith('github_pat_') || /^gh[pousr]_/.test(token)) return 'github-token';
  if (token.startsWith('glpat-')) return 'gitlab-token';
  if (token.startsWith('xox')) return 'slack-token';
  if (token.startsWith('npm_')) return 'npm-token';
  if (/^[sr]k_live_/.test(token)) return 'stripe-live-key';
  return 'aws-access-key-id';
}

/** The random part of a prefixed token looks random (not `ghp_xxxx…`, not `…EXAMPLE`). */
function tokenLooksReal(token: string, kind: SecretKind): boolean {
  const body = token.replace(/^(?:github_pat_|gh[pousr]_|glpat-|xox[baprs]-|npm_|[sr]k_live_)/, '');
  if (/example/i.test(body) || /^(.)\1*$/.test(body) || /x{6,}|X{6,}|0{8,}/.test(body)) return false;
  if (hasSequence(body)) return false;
  return shannonEntropy(body) >= (kind === 'aws-access-key-id' ? 3.0 : 3.5);
}

/** Offsets and values of the strings of a file that look like AWS secret access keys. */
function awsSecretCandidates(text: string): Array<{ offset: number; value: string }> {
  const out: Array<{ offset: number; value: string }> = [];
  for (const m of text.matchAll(AWS_SECRET_RE)) {
    const candidate = m[0];
    if (!/[a-z]/.test(candidate) || !/[A-Z]/.test(candidate) || !/[0-9/+]/.test(candidate)) continue;
    if (/example/i.test(candidate) || hasSequence(candidate)) continue;
    if (shannonEntropy(candidate) < 4.0) continue;
    out.push({ offset: m.index, value: candidate });
  }
  return out;
}

/** The secret-key candidate nearest to `offset`, within five lines (and 2,000 characters: minified text). */
function awsSecretNear(lines: Lines, candidates: ReadonlyArray<{ offset: number; value: string }>, line: number, offset: number): string | null {
  const from = Math.max(lines.start(line - 5), offset - 2000);
  const to = Math.min(lines.start(line + 6), offset + 2000);
  const lo = lowerBound(candidates, offset, (candidate, at) => candidate.offset < at);
  const after = candidates[lo];
  const before = candidates[lo - 1];
  const fits = (c: { offset: number; value: string } | undefined): c is { offset: number; value: string } => c !== undefined && c.offset >= from && c.offset + c.value.length <= to;
  if (fits(after) && (!fits(before) || after.offset - offset <= offset - before.offset)) return after.value;
  return fits(before) ? before.value : null;
}

/** Offsets of every occurrence of `needle` in `text`, ascending. */
function positions(text: string, needle: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) out.push(i);
  return out;
}

/** The first of the ascending `list` at or after `from` (binary search), or Infinity. */
function nextAt(list: readonly number[], from: number): number {
  return list[lowerBound(list, from, (item, at) => item < at)] ?? Infinity;
}

/** Characters a key body uses, raw or inside string literals (`\n` escapes, quotes, `+`). */
function isBodyChar(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 47 || code === 61 || code === 32 || code === 9 || code === 10 || code === 13 || code === 92 || code === 34 || code === 39 || code === 44 || code === 58 || code === 45
  );
}

/**
 * The base64 body of a PEM block whose header ends at `from`, or null when it is too short to be
 * a key. The block ends at its END marker, or (none before the next BEGIN) where the characters
 * of a body stop; never past the next BEGIN, so the work over a file is linear.
 */
function pemBody(text: string, from: number, ends: readonly number[], begins: readonly number[]): { body: string; encrypted: boolean } | null {
  const limit = Math.min(text.length, from + 65536, nextAt(begins, from));
  let end = nextAt(ends, from);
  if (end > limit) {
    end = from;
    while (end < limit && isBodyChar(text.charCodeAt(end))) end++;
  }
  const raw = text.slice(from, end).replace(/\\[nr]/g, '\n');
  const encrypted = /Proc-Type:\s*4,\s*ENCRYPTED/.test(raw);
  const body = raw
    .split('\n')
    .filter((line) => !line.includes(':'))
    .join('')
    .replace(/[^A-Za-z0-9+/=]/g, '');
  if (body.length < 64 || shannonEntropy(body) < 4.0 || /^(.)\1*$/.test(body)) return null;
  return { body, encrypted };
}

function genericCandidates(line: string, lineNo: number, options: SecretScanOptions, out: SecretMatch[]): void {
  if (line.length > MAX_GENERIC_LINE || !KEYWORD_RE.test(line)) return;
  for (const m of line.matchAll(ASSIGN_RE)) {
    const name = m[1]!;
    const quoted = m[2] ?? m[3] ?? m[4];
    const value = quoted ?? m[5];
    if (value === undefined) continue;
    if (quoted === undefined && !options.unquoted) continue;
    if (value.length < options.minLength || value.length > 1024) continue;
    if (value === name || isPlaceholder(value)) continue;
    if (shannonEntropy(value) < options.entropyThreshold) continue;
    out.push({ kind: 'generic', value, related: [], line: lineNo, name: name.replace(/^.*\./, '') });
  }
}

const PRIORITY: Record<SecretKind, number> = Object.fromEntries(SECRET_KINDS.map((kind, index) => [kind, index])) as Record<SecretKind, number>;

/**
 * Every credential in `text`, one per distinct value (the most specific kind wins), in line order.
 * Never throws; lines carrying `gitleaks:allow`, `pragma: allowlist secret` or
 * `prodeng:allow-secret` are skipped.
 */
export function scanSecrets(text: string, options: SecretScanOptions): SecretMatch[] {
  const lines = new Lines(text);
  const found: SecretMatch[] = [];
  // Per line, once: a minified line can hold thousands of matches.
  const allowCache = new Map<number, boolean>();
  const allowed = (line: number): boolean => {
    let answer = allowCache.get(line);
    if (answer === undefined) {
      answer = ALLOW_MARKER.test(lines.get(line));
      allowCache.set(line, answer);
    }
    return answer;
  };
  const privateKeyLines = new Map<number, boolean>();

  if (text.includes('PRIVATE KEY')) {
    const gcp = text.includes('"client_email"') && text.includes('"private_key"');
    const ends = positions(text, '-----END');
    const begins = positions(text, '-----BEGIN');
    for (const m of text.matchAll(PEM_RE)) {
      const line = lines.lineAt(m.index);
      if (allowed(line)) continue;
      const pem = pemBody(text, m.index + m[0].length, ends, begins);
      if (pem === null) continue;
      const encrypted = pem.encrypted || (m[1] ?? '').includes('ENCRYPTED');
      let inPrivateKeyField = privateKeyLines.get(line);
      if (gcp && inPrivateKeyField === undefined) {
        inPrivateKeyField = lines.get(line).includes('"private_key"');
        privateKeyLines.set(line, inPrivateKeyField);
      }
      const kind: SecretKind = gcp && inPrivateKeyField === true ? 'gcp-service-account-key' : encrypted ? 'encrypted-private-key' : 'private-key';
      found.push({ kind, value: pem.body, related: [], line });
    }
  }

  let awsCandidates: Array<{ offset: number; value: string }> | null = null;
  for (const m of text.matchAll(TOKEN_RE)) {
    const token = m[0];
    const kind = tokenKind(token);
    if (!tokenLooksReal(token, kind)) continue;
    const line = lines.lineAt(m.index);
    if (allowed(line)) continue;
    if (kind === 'aws-access-key-id') {
      awsCandidates ??= awsSecretCandidates(text);
      const secret = awsSecretNear(lines, awsCandidates, line, m.index);
      if (secret !== null) {
        found.push({ kind: 'aws-access-key', value: secret, related: [token], line });
        continue;
      }
    }
    found.push({ kind, value: token, related: [], line });
  }

  if (text.includes('hooks.slack.com')) {
    for (const m of text.matchAll(SLACK_WEBHOOK_RE)) {
      const line = lines.lineAt(m.index);
      if (!allowed(line) && !/x{4,}|example/i.test(m[0])) found.push({ kind: 'slack-webhook', value: m[0], related: [], line });
    }
  }

  if (KEYWORD_RE.test(text)) {
    for (let line = 1; line <= lines.count; line++) {
      const content = lines.get(line);
      if (!ALLOW_MARKER.test(content)) genericCandidates(content, line, options, found);
    }
  }

  // One match per value: the most specific detector wins; a generic value that contains (or is
  // contained in) a specific token is that token.
  found.sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || a.line - b.line);
  const kept: SecretMatch[] = [];
  const seen = new Set<string>();
  const specificByLine = new Map<number, SecretMatch[]>();
  for (const match of found) {
    if (seen.has(match.value)) continue;
    if (match.kind === 'generic') {
      const same = specificByLine.get(match.line) ?? [];
      if (same.some((k) => match.value.includes(k.value) || k.value.includes(match.value) || k.related.some((r) => match.value.includes(r)))) continue;
    } else {
      const list = specificByLine.get(match.line);
      if (list === undefined) specificByLine.set(match.line, [match]);
      else list.push(match);
    }
    seen.add(match.value);
    kept.push(match);
  }
  return kept.sort((a, b) => a.line - b.line || PRIORITY[a.kind] - PRIORITY[b.kind]);
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{0,20}:\/\/[^\s:@/]{1,256}:)([^\s@/]{1,256})@/gi;

/**
 * `text` with every credential the scanner recognises (and the password of `scheme://user:pass@`
 * URLs) replaced by its redacted form: for evidence quoted in findings (a command, a `uses:`).
 */
export function redactSecrets(text: string, options: SecretScanOptions): string {
  let out = text.replace(URL_CREDENTIALS, (_whole, head: string) => `${head}…@`);
  if (out.length > 100_000) return out;
  for (const match of scanSecrets(out, { ...options, unquoted: true })) {
    for (const value of [match.value, ...match.related]) out = out.split(value).join(describeSecret(value).redacted);
  }
  return out;
}

/** The hit of one secret: kind, length, first four characters and a SHA-256 prefix; never the value. */
export function secretHit(path: string, match: SecretMatch): Hit {
  const described = describeSecret(match.value);
  const label = SECRET_LABEL[match.kind];
  const assigned = match.name === undefined ? '' : ` assigned to \`${match.name}\``;
  return {
    rule: 'secret',
    severity: SECRET_SEVERITY[match.kind],
    path,
    line: match.line,
    key: `secret\0${match.kind}\0${described.sha256}`,
    title: `${label[0]!.toUpperCase()}${label.slice(1)} in ${path.slice(path.lastIndexOf('/') + 1)}`,
    message: `A ${label}${assigned} is committed here (${described.length} characters, starting \`${described.redacted}\`, sha256 ${described.sha256}…). Everyone who can read the repository or its history can use it.`,
    data: { kind: match.kind, redacted: described.redacted, length: described.length, sha256: described.sha256, ...(match.name === undefined ? {} : { name: match.name }) },
    remediation:
      match.kind === 'aws-access-key-id'
        ? 'Check whether the key is still active (`aws iam list-access-keys`) and deactivate it; never commit key ids with or without their secret; load credentials from the environment or a role.'
        : 'Revoke and rotate it now (removing the line does not remove it from the git history), then load it at run time from a secret store or an environment variable.',
    effort: 'medium',
  };
}
