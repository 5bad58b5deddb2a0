import type { RuleMeta } from '../../core/model.js';

const HELP = 'https://github.com/prodeng/prodeng/blob/main/src/probes/supply-chain/readme.md';

/** The rule names of the probe (without the `supply-chain/` prefix), in report order. */
export const RULE_NAMES = [
  'unpinned-action',
  'unpinned-image',
  'workflow-permissions',
  'dangerous-workflow',
  'curl-pipe-shell',
  'npm-install-in-ci',
  'missing-lockfile',
  'lockfile-out-of-sync',
  'secret',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export const ruleId = (name: RuleName): string => `supply-chain/${name}`;

export const RULES: RuleMeta[] = [
  {
    id: ruleId('unpinned-action'),
    title: 'GitHub Action not pinned to a commit SHA',
    description:
      'A `uses:` of a workflow or composite action names a tag or branch, which its owner can move to other code at any time. High for third-party actions, medium for GitHub-owned ones (`actions/`, `github/`); `docker://` images without a digest likewise.',
    defaultSeverity: 'medium',
    remediation: 'Pin the action to the full 40-character commit SHA of the release and keep the version as a comment: `uses: owner/repo@<sha> # vX.Y.Z`. Dependabot and Renovate keep SHA pins up to date.',
    helpUri: HELP,
  },
  {
    id: ruleId('unpinned-image'),
    title: 'Container image not pinned to a digest',
    description:
      'A Dockerfile `FROM`, a workflow `container:`/`services:` image or a CI job image names a tag, which can be re-pushed with other content. High when the tag is `latest` or missing, medium otherwise.',
    defaultSeverity: 'medium',
    remediation: 'Reference the image by digest and keep the tag for readers: `FROM node:22-alpine@sha256:<digest>` (find it with `docker buildx imagetools inspect node:22-alpine`).',
    helpUri: HELP,
  },
  {
    id: ruleId('workflow-permissions'),
    title: 'Workflow token permissions not restricted',
    description:
      'A workflow has no top-level `permissions:` (its jobs get the repository default token, read-write on older repositories), or grants `write-all`. High for `write-all`; medium without top-level permissions, low when every job declares its own.',
    defaultSeverity: 'medium',
    remediation: 'Add `permissions: contents: read` (or `{}`) at the top of the workflow and grant write scopes only to the jobs that need them.',
    helpUri: HELP,
  },
  {
    id: ruleId('dangerous-workflow'),
    title: 'Dangerous workflow pattern',
    description:
      'A `pull_request_target` or `workflow_run` workflow checks out the untrusted pull request head and then runs code from it (critical), or an attacker-controlled `${{ github.event… }}` value (issue or PR title or body, comment, branch name, commit message…) is interpolated into a `run:` script or `actions/github-script` (critical under privileged triggers, high otherwise).',
    defaultSeverity: 'critical',
    remediation:
      'Never build or run untrusted pull request code in a privileged workflow: split it into an unprivileged `pull_request` workflow. Pass untrusted values through an environment variable (`env: TITLE: ${{ github.event.issue.title }}`) and use `"$TITLE"` in the script.',
    helpUri: HELP,
  },
  {
    id: ruleId('curl-pipe-shell'),
    title: 'Downloaded script piped into a shell',
    description: 'A download is executed without verification (`curl … | sh`, `wget -O- … | sudo bash`, `bash <(curl …)`, `iex (iwr …)`) in a Dockerfile, a CI script, a shell script or a Makefile.',
    defaultSeverity: 'high',
    remediation: 'Download to a file, verify its checksum or signature (`sha256sum -c`), then run it; or install from a package manager with pinned versions.',
    helpUri: HELP,
  },
  {
    id: ruleId('npm-install-in-ci'),
    title: 'Dependencies installed without the lockfile in CI',
    description:
      '`npm install` (instead of `npm ci`), `yarn install` without `--frozen-lockfile`/`--immutable`, `pnpm install` without `--frozen-lockfile`, or `pip install` without `--require-hashes` in a CI workflow or a Dockerfile: the build may resolve other versions than the lockfile.',
    defaultSeverity: 'medium',
    remediation: 'Use `npm ci`, `yarn install --frozen-lockfile` (v1) / `yarn install --immutable` (berry), `pnpm install --frozen-lockfile`, `pip install --require-hashes -r requirements.txt`.',
    helpUri: HELP,
  },
  {
    id: ruleId('missing-lockfile'),
    title: 'Manifest without a lockfile',
    description:
      'A manifest declares dependencies (package.json, pyproject.toml, Pipfile, Gemfile, go.mod, Cargo.toml of a binary or workspace, composer.json) but no lockfile is committed beside it (or at its workspace root): every install may resolve other versions.',
    defaultSeverity: 'medium',
    remediation: 'Generate the lockfile with the package manager (`npm install`, `uv lock`, `poetry lock`, `bundle lock`, `go mod tidy`, `cargo generate-lockfile`, `composer update --lock`) and commit it.',
    helpUri: HELP,
  },
  {
    id: ruleId('lockfile-out-of-sync'),
    title: 'Lockfile out of sync with its manifest',
    description:
      'A dependency declared in package.json is missing from its lockfile (package-lock.json, yarn.lock, pnpm-lock.yaml), or locked at a version outside the declared range, or (pnpm, yarn) locked for another range; a pyproject.toml dependency is missing from poetry.lock or uv.lock. Frozen installs fail and plain installs drift.',
    defaultSeverity: 'medium',
    remediation: 'Run the package manager install once and commit the updated lockfile (`npm install`, `yarn install`, `pnpm install`, `uv lock`, `poetry lock`).',
    helpUri: HELP,
  },
  {
    id: ruleId('secret'),
    title: 'Credential committed to the repository',
    description:
      'A private key, cloud key, API token or a high-entropy password/secret/token assignment is in a file of the repository. The value is never reported: only its kind, length, first four characters and a SHA-256 prefix.',
    defaultSeverity: 'high',
    remediation:
      'Revoke and rotate the credential now (it stays in the git history), remove it from the file, and load it at run time from a secret store or an environment variable.',
    helpUri: HELP,
  },
];
