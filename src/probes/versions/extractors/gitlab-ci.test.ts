import { describe, expect, it } from 'vitest';
import { gitlabCiExtractor } from './gitlab-ci.js';

function images(text: string): string[] {
  return gitlabCiExtractor
    .extract({ path: '.gitlab-ci.yml', text })
    .components.filter((c) => c.purl !== undefined)
    .map((c) => `${c.source.line} ${c.name}:${c.version ?? c.constraint}${c.dev ? '' : ' prod'}`);
}

describe('gitlabCiExtractor', () => {
  it.each([
    ['.gitlab-ci.yml', true],
    ['ci/build.gitlab-ci.yml', true],
    ['.gitlab/ci/test.yml', true],
    ['gitlab.yml', false],
  ])('%s → %s', (path, expected) => {
    expect(gitlabCiExtractor.fileRequired(path)).toBe(expected);
  });

  it('reads default, global and job images and services, resolving variables', () => {
    const text = `variables:
  NODE_VERSION: "18"
  PG:
    value: "13"
default:
  image: node:\${NODE_VERSION}-alpine
  services:
    - postgres:$PG
image: ruby:3.1
stages: [test]
.template: &template
  image:
    name: python:3.11-slim
    entrypoint: [""]
test:
  <<: *template
  variables:
    NODE_VERSION: "20"
  services:
    - name: redis:7
      alias: cache
    - docker:24-dind
build:
  image: $CI_REGISTRY_IMAGE/builder:latest
lint:
  image: node:$NODE_VERSION
`;
    expect(images(text)).toEqual(['9 ruby:3.1', '6 node:18-alpine', '8 postgres:13', '13 python:3.11-slim', '20 redis:7', '22 docker:24-dind', '26 node:18']);
    expect(gitlabCiExtractor.extract({ path: '.gitlab-ci.yml', text }).errors).toEqual([]);
  });

  it('tolerates !reference tags and reports broken YAML', () => {
    expect(images('.base:\n  image: node:18\njob:\n  image: !reference [.base, image]\n')).toEqual(['2 node:18']);
    expect(gitlabCiExtractor.extract({ path: '.gitlab-ci.yml', text: 'job:\n  image: "node\n' }).errors[0]!.message).toMatch(/not valid YAML/);
  });
});
