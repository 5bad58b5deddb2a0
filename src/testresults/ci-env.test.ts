import { describe, expect, it } from 'vitest';
import { ciRunEnvironment } from './ci-env.js';

describe('ciRunEnvironment', () => {
  it('reads GitHub Actions, preferring the head branch of a pull request', () => {
    expect(
      ciRunEnvironment({ GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2', GITHUB_SHA: 'abc', GITHUB_REF_NAME: '7/merge', GITHUB_HEAD_REF: 'feature' }),
    ).toEqual({ provider: 'github-actions', runId: '42', attempt: 2, commit: 'abc', branch: 'feature' });
    expect(ciRunEnvironment({ GITHUB_ACTIONS: 'true', GITHUB_REF_NAME: 'main', GITHUB_HEAD_REF: '' })).toEqual({ provider: 'github-actions', branch: 'main' });
  });

  it('reads GitLab, Buildkite, CircleCI and Jenkins', () => {
    expect(ciRunEnvironment({ GITLAB_CI: 'true', CI_PIPELINE_ID: '9', CI_COMMIT_SHA: 'def', CI_COMMIT_REF_NAME: 'main' })).toEqual({ provider: 'gitlab', runId: '9', commit: 'def', branch: 'main' });
    expect(ciRunEnvironment({ BUILDKITE: 'true', BUILDKITE_BUILD_ID: 'b-1', BUILDKITE_RETRY_COUNT: '1', BUILDKITE_COMMIT: 'c', BUILDKITE_BRANCH: 'dev' })).toEqual({
      provider: 'buildkite',
      runId: 'b-1',
      attempt: 2,
      commit: 'c',
      branch: 'dev',
    });
    expect(ciRunEnvironment({ CIRCLECI: 'true', CIRCLE_WORKFLOW_ID: 'w', CIRCLE_SHA1: 's', CIRCLE_BRANCH: 'b' })).toEqual({ provider: 'circleci', runId: 'w', commit: 's', branch: 'b' });
    expect(ciRunEnvironment({ JENKINS_URL: 'http://ci/', BUILD_TAG: 'jenkins-app-12', GIT_COMMIT: 'g', GIT_BRANCH: 'origin/main' })).toEqual({
      provider: 'jenkins',
      runId: 'jenkins-app-12',
      commit: 'g',
      branch: 'main',
    });
  });

  it('knows a generic CI without details, and nothing on a laptop', () => {
    expect(ciRunEnvironment({ CI: 'true' })).toEqual({ provider: 'ci' });
    expect(ciRunEnvironment({ HOME: '/home/me' })).toBeNull();
    expect(ciRunEnvironment({ GITHUB_ACTIONS: 'true', GITHUB_RUN_ATTEMPT: 'zero' })).toEqual({ provider: 'github-actions' });
  });
});
