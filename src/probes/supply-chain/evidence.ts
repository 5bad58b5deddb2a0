/**
 * Hits shared by several kinds of file: container image references (Dockerfiles, workflows, CI
 * files) and the command rules (run scripts, RUN instructions, shell scripts, Makefiles).
 */
import { parseImageReference } from '../../eol/images.js';
import type { Hit } from './model.js';
import { quote, squash } from './model.js';
import type { ShellHit } from './shell.js';

/** Evidence from a file may carry credentials: every quoted string goes through this first. */
export type Redact = (text: string) => string;

export interface ImageCheck {
  reference: string;
  pinned: boolean;
  tag: string | null;
  digest: string | null;
  /** No tag, or `latest`: whatever was pushed last. */
  floating: boolean;
}

const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

export function checkImage(reference: string): ImageCheck {
  const trimmed = reference.trim();
  const parsed = parseImageReference(trimmed);
  if (parsed !== null) {
    const pinned = parsed.digest !== null && SHA256_DIGEST.test(parsed.digest);
    return { reference: trimmed, pinned, tag: parsed.tag, digest: parsed.digest, floating: !pinned && (parsed.tag === null || parsed.tag === 'latest') };
  }
  // Not a valid reference (upper case, odd characters): judge by its text.
  const at = trimmed.indexOf('@');
  const digest = at >= 0 ? trimmed.slice(at + 1) : null;
  const pinned = digest !== null && SHA256_DIGEST.test(digest);
  const name = at >= 0 ? trimmed.slice(0, at) : trimmed;
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : null;
  return { reference: trimmed, pinned, tag, digest, floating: !pinned && (tag === null || tag === 'latest') };
}

export type ImageSite = 'dockerfile' | 'workflow-container' | 'workflow-service' | 'ci-image';

const SITE_LABEL: Record<ImageSite, string> = {
  dockerfile: 'FROM image',
  'workflow-container': 'Job container image',
  'workflow-service': 'Service container image',
  'ci-image': 'CI job image',
};

/** An unpinned-image hit, or null when the reference is pinned by digest. */
export function imageHit(path: string, line: number, reference: string, site: ImageSite, redact: Redact, extra: Record<string, unknown> = {}): Hit | null {
  const check = checkImage(reference);
  if (check.pinned) return null;
  const shown = quote(redact(check.reference), 200);
  const why = check.tag === null ? 'has no tag (it means `latest`)' : check.tag === 'latest' ? 'uses the `latest` tag' : `uses the tag \`${check.tag}\``;
  const name = shown.replace(/@.*$/, '');
  const example = site === 'dockerfile' ? `FROM ${name}@sha256:<digest>` : `image: ${name}@sha256:<digest>`;
  return {
    rule: 'unpinned-image',
    severity: check.floating ? 'high' : 'medium',
    path,
    line,
    key: `${site === 'dockerfile' ? 'from' : 'image'}\0${squash(redact(check.reference))}`,
    title: `Image ${quote(shown, 80)} is not pinned to a digest`,
    message: `${SITE_LABEL[site]} \`${shown}\` ${why} and no \`@sha256:\` digest: the registry can serve different content under it at any time.`,
    data: { image: shown, tag: check.tag, digest: check.digest, floating: check.floating, site, ...extra },
    remediation: `Pin the digest and keep the tag for readers: \`${example}\` (look it up with \`docker buildx imagetools inspect ${name}\`); let Dependabot or Renovate update it.`,
    effort: 'trivial',
  };
}

const CONTEXT_LABEL: Record<string, string> = {
  'github-workflow': 'A workflow step',
  'github-action': 'A composite action step',
  ci: 'A CI script',
  dockerfile: 'A Dockerfile RUN',
  script: 'The script',
  makefile: 'The Makefile',
};

const INSTALL_FIX: Record<string, string> = {
  npm: 'Use `npm ci`: it installs exactly the lockfile and fails when package.json and package-lock.json disagree.',
  yarn: 'Use `yarn install --frozen-lockfile` (yarn 1) or `yarn install --immutable` (yarn 2+).',
  pnpm: 'Use `pnpm install --frozen-lockfile`.',
  pip: 'Install from a hash-locked requirements file: `pip install --require-hashes -r requirements.txt` (generate it with `pip-compile --generate-hashes` or `uv pip compile --generate-hashes`), or use a locking tool (`uv sync --locked`, `poetry install`).',
};

const INSTALL_WHY: Record<string, string> = {
  'npm-install': '`npm install` resolves the ranges again and may rewrite the lockfile, so the build can use other versions than the ones reviewed',
  'npm-install-package': 'installing named packages at build time bypasses the lockfile for them',
  'npm-install-global-unpinned': 'a global tool is installed without an exact version: the build gets whatever was published last',
  'yarn-install': '`yarn install` without `--frozen-lockfile`/`--immutable` may resolve other versions than yarn.lock',
  'yarn-add': '`yarn add` changes the dependency set at build time',
  'pnpm-install': '`pnpm install` outside CI does not freeze the lockfile unless told to',
  'pnpm-install-unfrozen': '`--no-frozen-lockfile` lets pnpm resolve other versions than pnpm-lock.yaml',
  'pnpm-install-implicit': 'pnpm freezes the lockfile only because CI is set; the command does not say so',
  'pnpm-add': '`pnpm add` changes the dependency set at build time',
  'pip-install': '`pip install` without `--require-hashes` accepts whatever the index serves for the versions it resolves',
};

/** Hits of the command rules for one script line. */
export function shellHitToHit(path: string, hit: ShellHit, context: string, redact: Redact, extra: Record<string, unknown> = {}): Hit {
  const command = redact(hit.command);
  const shown = quote(command, 200);
  const where = CONTEXT_LABEL[context] ?? context;
  if (hit.rule === 'curl-pipe-shell') {
    return {
      rule: 'curl-pipe-shell',
      severity: hit.severity,
      path,
      line: hit.line,
      key: `pipe\0${squash(command)}`,
      title: 'Downloaded script piped into a shell',
      message: `${where} runs a download without verifying it: \`${shown}\`. Whoever controls the URL, its DNS or the connection runs code here.`,
      data: { command: shown, context, ...extra },
      remediation: 'Download to a file, check a pinned checksum (`echo "<sha256>  install.sh" | sha256sum -c`) or signature, then run it; or use a package manager with pinned versions.',
      effort: 'small',
    };
  }
  const tool = hit.tool ?? 'npm';
  return {
    rule: 'npm-install-in-ci',
    severity: hit.severity,
    path,
    line: hit.line,
    key: `install\0${squash(command)}`,
    title: tool === 'pip' ? `pip install without --require-hashes: ${quote(command, 60)}` : `${tool} install bypasses the lockfile: ${quote(command, 60)}`,
    message: `${where} runs \`${shown}\`: ${INSTALL_WHY[hit.kind] ?? 'the install does not follow the lockfile'}.`,
    data: { command: shown, tool, kind: hit.kind, context, ...extra },
    remediation: INSTALL_FIX[tool] ?? INSTALL_FIX['npm']!,
    effort: 'trivial',
  };
}
