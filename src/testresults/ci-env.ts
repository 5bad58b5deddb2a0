/**
 * What a CI job already knows about itself: run id, attempt, commit and branch, from the variables
 * the common CI systems set. `prodeng ingest junit` uses them when the options leave them out, so
 * that one line in a pipeline (`npx prodeng ingest junit 'reports/*.xml' --system api`) records a
 * properly identified run on any of them.
 */
export interface CiRunEnvironment {
  provider: string;
  runId?: string;
  attempt?: number;
  commit?: string;
  branch?: string;
}

type Env = Record<string, string | undefined>;

const value = (env: Env, name: string): string | undefined => {
  const text = env[name]?.trim();
  return text ? text : undefined;
};

const positive = (text: string | undefined): number | undefined => {
  const n = Number(text);
  return text !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
};

function retryAttempt(retries: string | undefined): number | undefined {
  const n = Number(retries);
  return retries !== undefined && Number.isInteger(n) && n >= 0 ? n + 1 : undefined;
}

function clean(run: CiRunEnvironment): CiRunEnvironment {
  return Object.fromEntries(Object.entries(run).filter(([, v]) => v !== undefined)) as unknown as CiRunEnvironment;
}

/** The run this process is part of, when a known CI system says; null elsewhere (a laptop). */
export function ciRunEnvironment(env: Env): CiRunEnvironment | null {
  if (value(env, 'GITHUB_ACTIONS') === 'true') {
    // On pull requests GITHUB_REF_NAME is `7/merge`; the head branch is the useful name.
    return clean({
      provider: 'github-actions',
      runId: value(env, 'GITHUB_RUN_ID'),
      attempt: positive(value(env, 'GITHUB_RUN_ATTEMPT')),
      commit: value(env, 'GITHUB_SHA'),
      branch: value(env, 'GITHUB_HEAD_REF') ?? value(env, 'GITHUB_REF_NAME'),
    });
  }
  if (value(env, 'GITLAB_CI') === 'true') {
    return clean({
      provider: 'gitlab',
      runId: value(env, 'CI_PIPELINE_ID'),
      commit: value(env, 'CI_COMMIT_SHA'),
      branch: value(env, 'CI_COMMIT_BRANCH') ?? value(env, 'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME') ?? value(env, 'CI_COMMIT_REF_NAME'),
    });
  }
  if (value(env, 'BUILDKITE') === 'true') {
    return clean({
      provider: 'buildkite',
      runId: value(env, 'BUILDKITE_BUILD_ID') ?? value(env, 'BUILDKITE_BUILD_NUMBER'),
      // BUILDKITE_RETRY_COUNT counts retries: 0 on the first attempt.
      attempt: retryAttempt(value(env, 'BUILDKITE_RETRY_COUNT')),
      commit: value(env, 'BUILDKITE_COMMIT'),
      branch: value(env, 'BUILDKITE_BRANCH'),
    });
  }
  if (value(env, 'CIRCLECI') === 'true') {
    return clean({
      provider: 'circleci',
      runId: value(env, 'CIRCLE_WORKFLOW_ID') ?? value(env, 'CIRCLE_BUILD_NUM'),
      commit: value(env, 'CIRCLE_SHA1'),
      branch: value(env, 'CIRCLE_BRANCH'),
    });
  }
  if (value(env, 'JENKINS_URL') !== undefined) {
    return clean({
      provider: 'jenkins',
      runId: value(env, 'BUILD_TAG') ?? value(env, 'BUILD_NUMBER'),
      commit: value(env, 'GIT_COMMIT'),
      // The Git plugin writes `origin/main`.
      branch: (value(env, 'BRANCH_NAME') ?? value(env, 'GIT_BRANCH'))?.replace(/^origin\//, ''),
    });
  }
  if (value(env, 'CI') === 'true' || value(env, 'CI') === '1') return { provider: 'ci' };
  return null;
}
