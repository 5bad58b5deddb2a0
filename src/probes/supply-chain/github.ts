/**
 * GitHub Actions: workflows (`.github/workflows/*.y(a)ml`) and action manifests (`action.y(a)ml`,
 * composite and Docker actions). Parsed with the `yaml` library into a located tree (lines of every
 * node, alias expansion bounded, a node budget), then read for:
 *
 * - `unpinned-action`: `uses:` of steps, of reusable-workflow jobs and of Docker actions;
 * - `unpinned-image`: job `container:` and `services:` images;
 * - `workflow-permissions`: no top-level `permissions:`, or `write-all`;
 * - `dangerous-workflow`: untrusted checkout followed by code in `pull_request_target` /
 *   `workflow_run` workflows, and `${{ github.event… }}` script injection;
 * - the command rules on every `run:` script.
 */
import { get, isMap, isScalar, isSeq, text, type TreeMap, type TreeNode } from '../versions/extractors/runtime-tree.js';
import { parseYamlDocuments } from '../versions/extractors/runtime-yaml.js';
import { checkImage, imageHit, shellHitToHit, type Redact } from './evidence.js';
import type { ActionRefCount, Analysis, Hit } from './model.js';
import { lineOfOffset, quote, squash } from './model.js';
import { analyseScript, type ScriptContext } from './shell.js';

export interface GithubOptions {
  /** Lower-cased owners whose actions may be referenced by tag. */
  trustedOwners: ReadonlySet<string>;
  yarnBerry: boolean;
  redact: Redact;
}

export interface GithubAnalysis extends Analysis {
  refs: ActionRefCount;
}

export function isWorkflowPath(path: string): boolean {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/i.test(path);
}

export function isActionManifestPath(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name === 'action.yml' || name === 'action.yaml';
}

// ------------------------------------------------------------------------------------ uses:

export type UsesRef =
  | { type: 'local' }
  | { type: 'expression' }
  | { type: 'docker'; image: string; pinned: boolean; tag: string | null; floating: boolean }
  | { type: 'action'; action: string; owner: string; ref: string | null; pinned: boolean };

const FULL_SHA = /^[0-9a-f]{40}$/i;
const GITHUB_OWNERS = new Set(['actions', 'github']);

/** What a `uses:` value names, and whether it is pinned (a 40-hex commit SHA, or a sha256 digest). */
export function classifyUses(value: string): UsesRef {
  const uses = value.trim();
  if (uses.startsWith('./') || uses.startsWith('.\\') || uses === '.') return { type: 'local' };
  if (uses.includes('${{')) return { type: 'expression' };
  if (uses.toLowerCase().startsWith('docker://')) {
    const image = uses.slice('docker://'.length);
    const check = checkImage(image);
    return { type: 'docker', image, pinned: check.pinned, tag: check.tag, floating: check.floating };
  }
  const at = uses.lastIndexOf('@');
  const action = at >= 0 ? uses.slice(0, at) : uses;
  const ref = at >= 0 ? uses.slice(at + 1) : null;
  const owner = action.split('/')[0]!.toLowerCase();
  return { type: 'action', action, owner, ref, pinned: ref !== null && FULL_SHA.test(ref) };
}

function refType(ref: string | null): string {
  if (ref === null || ref === '') return 'none';
  if (/^[0-9a-f]{7,39}$/i.test(ref)) return 'short-sha';
  if (/^v?\d+(?:\.\d+){0,2}(?:[-+.][0-9A-Za-z.-]*)?$/.test(ref)) return 'version-tag';
  return 'branch-or-tag';
}

interface Sink {
  path: string;
  hits: Hit[];
  refs: ActionRefCount;
  options: GithubOptions;
}

function checkUses(sink: Sink, node: TreeNode | undefined, site: 'step' | 'reusable-workflow' | 'docker-action'): void {
  const uses = text(node);
  if (uses === null || node === undefined) return;
  const ref = classifyUses(uses);
  if (ref.type === 'local' || ref.type === 'expression') return;
  sink.refs.total++;
  if (ref.pinned) {
    sink.refs.pinned++;
    return;
  }
  const shown = quote(sink.options.redact(uses), 200);
  if (ref.type === 'docker') {
    const name = shown.replace(/^docker:\/\//i, '').replace(/@.*$/, '');
    sink.hits.push({
      rule: 'unpinned-action',
      severity: ref.floating ? 'high' : 'medium',
      path: sink.path,
      line: node.line,
      key: `uses\0${squash(shown)}`,
      title: `Docker action ${quote(shown, 80)} is not pinned to a digest`,
      message: `\`uses: ${shown}\` runs a container image by ${ref.tag === null ? 'no tag at all' : `the tag \`${ref.tag}\``} without an \`@sha256:\` digest: the registry can serve other code under it.`,
      data: { uses: shown, action: name, owner: null, ref: ref.tag, refType: ref.tag === null ? 'none' : 'docker-tag', githubOwned: false, site, docker: true },
      remediation: `Pin the image digest: \`uses: docker://${name}@sha256:<digest>\` (look it up with \`docker buildx imagetools inspect ${name}\`).`,
      effort: 'trivial',
    });
    return;
  }
  if (sink.options.trustedOwners.has(ref.owner)) return;
  const githubOwned = GITHUB_OWNERS.has(ref.owner);
  const action = sink.options.redact(ref.action);
  const version = ref.ref === null || ref.ref === '' ? 'vX.Y.Z' : sink.options.redact(ref.ref);
  const repo = action.split('/').slice(0, 2).join('/');
  sink.hits.push({
    rule: 'unpinned-action',
    severity: githubOwned ? 'medium' : 'high',
    path: sink.path,
    line: node.line,
    key: `uses\0${squash(action).toLowerCase()}@${ref.ref === null ? '' : squash(sink.options.redact(ref.ref))}`,
    title: `Action ${quote(shown, 80)} is not pinned to a commit SHA`,
    message:
      ref.ref === null
        ? `\`uses: ${shown}\` names no version at all.`
        : `\`uses: ${shown}\` follows the ${refType(ref.ref) === 'short-sha' ? 'abbreviated SHA' : 'tag or branch'} \`${quote(version, 80)}\`, which ${githubOwned ? 'GitHub' : `${ref.owner} (a third party)`} can move to other code; the workflow would run it with its token and secrets.`,
    data: { uses: shown, action, owner: ref.owner, ref: ref.ref === null ? null : version, refType: refType(ref.ref), githubOwned, site, docker: false },
    remediation: `Pin the full commit SHA and keep the version as a comment: \`uses: ${action}@<40-character commit SHA of ${version}> # ${version}\` (\`git ls-remote https://github.com/${repo} ${version}\` prints it); Dependabot and Renovate keep SHA pins current.`,
    effort: 'trivial',
  });
}

// ------------------------------------------------------------------------------------ injection

/**
 * Event properties whoever opens an issue or a pull request, comments, pushes a branch or edits a
 * wiki page can set (OpenSSF Scorecard's list, plus discussions, workflow_run heads and labels).
 */
const UNTRUSTED_CONTEXT =
  /\bgithub\.head_ref\b|\b(?:issue\.(?:title|body)|pull_request\.(?:title|body|head\.(?:ref|label|repo\.default_branch))|comment\.body|review\.body|review_comment\.body|discussion\.(?:title|body)|pages[^}\s]{0,20}\.page_name|commits[^}\s]{0,20}\.(?:message|author\.(?:email|name)|committer\.(?:email|name))|head_commit\.(?:message|author\.(?:email|name)|committer\.(?:email|name))|workflow_run\.(?:head_branch|display_title|pull_requests[^}\s]{0,20}\.head\.ref)|labels[^}\s]{0,20}\.name|label\.name)\b/i;

/** Triggers whose runs have a write token and secrets while attacker input is in the event. */
const PRIVILEGED_TRIGGERS = new Set(['pull_request_target', 'workflow_run', 'issues', 'issue_comment', 'discussion', 'discussion_comment', 'gollum']);

export interface Expression {
  expression: string;
  offset: number;
}

/** `${{ … }}` expressions of a script that read attacker-controlled event data. Linear. */
export function untrustedExpressions(script: string): Expression[] {
  const out: Expression[] = [];
  let from = 0;
  for (;;) {
    const start = script.indexOf('${{', from);
    if (start < 0) break;
    const end = script.indexOf('}}', start + 3);
    if (end < 0) break;
    const inner = script.slice(start + 3, end);
    if (inner.length <= 1000 && UNTRUSTED_CONTEXT.test(inner)) out.push({ expression: squash(inner), offset: start });
    from = end + 2;
  }
  return out;
}

// ------------------------------------------------------------------------------------ steps

interface JobContext {
  sink: Sink;
  context: ScriptContext;
  job: string | null;
  triggers: readonly string[];
}

/** The raw string of a scalar (not trimmed), with the line its content starts on. */
function scriptOf(node: TreeNode | undefined): { script: string; line: number } | null {
  if (!isScalar(node) || typeof node.value !== 'string') return null;
  return { script: node.value, line: node.line + (node.block === true ? 1 : 0) };
}

function injectionHits(ctx: JobContext, script: { script: string; line: number }, where: 'run' | 'github-script'): void {
  const privileged = ctx.triggers.filter((trigger) => PRIVILEGED_TRIGGERS.has(trigger));
  for (const found of untrustedExpressions(script.script)) {
    const expression = ctx.sink.options.redact(found.expression);
    const shown = quote(expression, 120);
    const line = lineOfOffset(script.script, found.offset, script.line);
    const place = where === 'run' ? 'a `run:` script' : 'an `actions/github-script` script';
    const job = ctx.job === null ? '' : ` of job \`${ctx.job}\``;
    ctx.sink.hits.push({
      rule: 'dangerous-workflow',
      severity: ctx.context === 'github-workflow' && privileged.length > 0 ? 'critical' : 'high',
      path: ctx.sink.path,
      line,
      key: `injection\0${ctx.job ?? ''}\0${expression.toLowerCase()}`,
      title: `Script injection: \${{ ${quote(expression, 60)} }} in ${where === 'run' ? 'run:' : 'github-script'}`,
      message: `\`\${{ ${shown} }}\` is pasted into ${place}${job} before it runs; whoever writes that text (an issue, a pull request, a branch name, a comment) can run commands${privileged.length > 0 ? ` with the ${privileged.join('/')} token and secrets` : ''}.`,
      data: { kind: 'script-injection', expression: shown, where, job: ctx.job, triggers: [...ctx.triggers], privileged: privileged.length > 0 },
      remediation: `Pass it through an environment variable and quote it: \`env: VALUE: \${{ ${shown} }}\`, then use \`"$VALUE"\` in the script (\`process.env.VALUE\` in github-script).`,
      effort: 'small',
    });
  }
}

function runHits(ctx: JobContext, step: TreeNode): void {
  const run = scriptOf(get(step, 'run'));
  if (run === null) return;
  for (const hit of analyseScript(run.script, run.line, { context: ctx.context, yarnBerry: ctx.sink.options.yarnBerry })) {
    ctx.sink.hits.push(shellHitToHit(ctx.sink.path, hit, ctx.context, ctx.sink.options.redact, ctx.job === null ? {} : { job: ctx.job }));
  }
  injectionHits(ctx, run, 'run');
}

function isAction(uses: string | null, name: string): boolean {
  return uses !== null && uses.toLowerCase().replace(/@.*$/, '') === name;
}

const UNTRUSTED_REF = /github\.event\.pull_request\.(?:head\.(?:sha|ref|label)|merge_commit_sha|number)|github\.event\.workflow_run\.(?:head_sha|head_branch|head_commit\.id|pull_requests)|github\.head_ref|github\.event\.number|refs\/pull\//i;
const UNTRUSTED_REPOSITORY = /github\.event\.pull_request\.head\.repo|github\.event\.workflow_run\.head_repository/i;
const BUILD_ACTION = /(?:^|[-_/])(?:build|make|compile|test|tests|lint|install|run|exec|script|autobuild|cmake|bazel|gradle|maven|mvn|npm|yarn|pnpm|cargo|goreleaser|pre-commit)(?:[-_/]|$)/i;

/** Does this step run code from the work tree (a script, a local action, a build action)? */
function runsCode(step: TreeNode): boolean {
  if (get(step, 'run') !== undefined) return true;
  const uses = text(get(step, 'uses'));
  if (uses === null) return false;
  if (uses.startsWith('./')) return true;
  const name = uses.replace(/@.*$/, '').split('/').slice(1).join('/');
  return BUILD_ACTION.test(name);
}

function readSteps(ctx: JobContext, steps: TreeNode | undefined): void {
  if (!isSeq(steps)) return;
  const pwn = ctx.triggers.filter((trigger) => trigger === 'pull_request_target' || trigger === 'workflow_run');
  let checkout: { line: number; ref: string } | null = null;
  let reported = false;
  for (const step of steps.items) {
    if (!isMap(step)) continue;
    const usesNode = get(step, 'uses');
    const uses = text(usesNode);
    checkUses(ctx.sink, usesNode, 'step');
    runHits(ctx, step);
    if (isAction(uses, 'actions/github-script')) {
      const script = scriptOf(get(step, 'with', 'script'));
      if (script !== null) injectionHits(ctx, script, 'github-script');
    }
    if (pwn.length === 0 || reported) continue;
    if (checkout === null && isAction(uses, 'actions/checkout')) {
      const refNode = get(step, 'with', 'ref');
      const repoNode = get(step, 'with', 'repository');
      const ref = text(refNode) ?? '';
      const repository = text(repoNode) ?? '';
      if ((ref.includes('${{') || ref.includes('refs/pull/')) && UNTRUSTED_REF.test(ref)) checkout = { line: refNode!.line, ref };
      else if (repository.includes('${{') && UNTRUSTED_REPOSITORY.test(repository)) checkout = { line: repoNode!.line, ref: repository };
      continue;
    }
    if (checkout !== null && runsCode(step)) {
      reported = true;
      const ref = quote(ctx.sink.options.redact(checkout.ref), 120);
      const job = ctx.job ?? '';
      ctx.sink.hits.push({
        rule: 'dangerous-workflow',
        severity: 'critical',
        path: ctx.sink.path,
        line: checkout.line,
        key: `untrusted-checkout\0${job}`,
        title: `${pwn.join('/')} workflow checks out and runs untrusted pull request code`,
        message: `Job \`${job}\` of a ${pwn.join('/')} workflow checks out \`${ref}\` (the pull request's own code) and then runs code from it (line ${step.line}); any pull request can run commands with the base repository's token and secrets.`,
        data: { kind: 'untrusted-checkout', job: ctx.job, triggers: [...ctx.triggers], ref, checkoutLine: checkout.line, runLine: step.line },
        remediation:
          'Build and test pull requests in an unprivileged `pull_request` workflow; if results must reach a privileged workflow, pass them as artifacts and treat them as data. Never check out `github.event.pull_request.head.*` in `pull_request_target`.',
        effort: 'medium',
      });
    }
  }
}

// ------------------------------------------------------------------------------------ workflows

function triggersOf(root: TreeMap): string[] {
  // `on` is a string in YAML 1.2; a YAML 1.1 document reads it as `true`.
  const on = root.entries.get('on') ?? root.entries.get('true');
  if (on === undefined) return [];
  if (isMap(on)) return [...on.entries.keys()];
  if (isSeq(on)) return on.items.map((item) => text(item)).filter((t): t is string => t !== null);
  const single = text(on);
  return single === null ? [] : [single];
}

function containerImage(sink: Sink, node: TreeNode | undefined, site: 'workflow-container' | 'workflow-service', job: string, service?: string): void {
  const target = isMap(node) ? get(node, 'image') : node;
  const image = text(target);
  if (image === null || target === undefined || image.includes('${{')) return;
  const hit = imageHit(sink.path, target.line, image, site, sink.options.redact, service === undefined ? { job } : { job, service });
  if (hit !== null) sink.hits.push(hit);
}

function permissionsHits(sink: Sink, root: TreeMap, triggers: readonly string[], jobs: TreeMap | null): void {
  const top = root.entries.get('permissions');
  if (text(top)?.toLowerCase() === 'write-all') {
    sink.hits.push({
      rule: 'workflow-permissions',
      severity: 'high',
      path: sink.path,
      line: top!.line,
      key: 'write-all\0workflow',
      title: 'Workflow grants write-all permissions',
      message: '`permissions: write-all` gives every job of the workflow a token that can write code, releases, packages and settings.',
      data: { kind: 'write-all', scope: 'workflow', job: null },
      remediation: 'Replace it with `permissions: contents: read` at the top and grant single write scopes (`pull-requests: write`…) to the jobs that need them.',
      effort: 'small',
    });
  }
  const jobEntries = jobs === null ? [] : [...jobs.entries].filter(([, job]) => isMap(job));
  for (const [id, job] of jobEntries) {
    const permissions = get(job, 'permissions');
    if (text(permissions)?.toLowerCase() !== 'write-all') continue;
    sink.hits.push({
      rule: 'workflow-permissions',
      severity: 'high',
      path: sink.path,
      line: permissions!.line,
      key: `write-all\0job\0${id}`,
      title: `Job ${quote(id, 60)} grants write-all permissions`,
      message: `Job \`${quote(id, 60)}\` sets \`permissions: write-all\`: its token can write code, releases, packages and settings.`,
      data: { kind: 'write-all', scope: 'job', job: id },
      remediation: 'List only the scopes the job needs, e.g. `permissions: { contents: read, pull-requests: write }`.',
      effort: 'small',
    });
  }
  // A reusable workflow gets at most the permissions of its caller.
  const onlyCalled = triggers.length > 0 && triggers.every((trigger) => trigger === 'workflow_call');
  if (top !== undefined || onlyCalled) return;
  const without = jobEntries.filter(([, job]) => get(job, 'permissions') === undefined).map(([id]) => id);
  const everyJobScoped = jobEntries.length > 0 && without.length === 0;
  sink.hits.push({
    rule: 'workflow-permissions',
    severity: everyJobScoped ? 'low' : 'medium',
    path: sink.path,
    line: 1,
    key: 'missing\0workflow',
    title: 'Workflow has no top-level permissions',
    message: everyJobScoped
      ? 'The workflow sets no top-level `permissions:`; every job restricts its own token today, but a job added later gets the repository default.'
      : `The workflow sets no top-level \`permissions:\`, so ${without.length === 1 ? `job \`${quote(without[0]!, 60)}\`` : `${without.length} jobs (${without.slice(0, 5).map((id) => `\`${quote(id, 40)}\``).join(', ')}${without.length > 5 ? ', …' : ''})`} run with the repository's default token, which is read-write on repositories created before February 2023.`,
    data: { kind: 'missing-top-level', jobs: jobEntries.length, jobsWithoutPermissions: without.slice(0, 50) },
    remediation: 'Add `permissions: contents: read` (or `permissions: {}`) at the top of the workflow; grant write scopes per job.',
    effort: 'small',
  });
}

function readWorkflow(sink: Sink, root: TreeMap): void {
  const triggers = triggersOf(root);
  const jobsNode = get(root, 'jobs');
  const jobs = isMap(jobsNode) ? jobsNode : null;
  permissionsHits(sink, root, triggers, jobs);
  if (jobs === null) return;
  for (const [id, job] of jobs.entries) {
    if (!isMap(job)) continue;
    checkUses(sink, get(job, 'uses'), 'reusable-workflow');
    containerImage(sink, get(job, 'container'), 'workflow-container', id);
    const services = get(job, 'services');
    if (isMap(services)) for (const [name, service] of services.entries) containerImage(sink, service, 'workflow-service', id, name);
    readSteps({ sink, context: 'github-workflow', job: id, triggers }, get(job, 'steps'));
  }
}

function readActionManifest(sink: Sink, root: TreeMap): void {
  const runs = get(root, 'runs');
  if (!isMap(runs)) return;
  const image = get(runs, 'image');
  if (text(image)?.toLowerCase().startsWith('docker://')) checkUses(sink, image, 'docker-action');
  readSteps({ sink, context: 'github-action', job: null, triggers: [] }, get(runs, 'steps'));
}

function analyse(path: string, source: string, options: GithubOptions, read: (sink: Sink, root: TreeMap) => void): GithubAnalysis {
  const sink: Sink = { path, hits: [], refs: { total: 0, pinned: 0 }, options };
  const parsed = parseYamlDocuments(source);
  const errors = parsed.errors.map((error) => ({ ...error, code: 'yaml' }));
  for (const document of parsed.documents) {
    if (isMap(document)) read(sink, document);
    else errors.push({ message: 'not a YAML mapping: not read as a workflow', line: document.line, code: 'yaml' });
  }
  return { hits: sink.hits, errors, refs: sink.refs };
}

export function analyseWorkflow(path: string, source: string, options: GithubOptions): GithubAnalysis {
  return analyse(path, source, options, readWorkflow);
}

export function analyseActionManifest(path: string, source: string, options: GithubOptions): GithubAnalysis {
  return analyse(path, source, options, readActionManifest);
}
