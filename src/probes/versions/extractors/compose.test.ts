import { describe, expect, it } from 'vitest';
import { composeExtractor } from './compose.js';

function summary(text: string, path = 'docker-compose.yml'): string[] {
  return composeExtractor.extract({ path, text }).components.map((c) => `${c.source.line} ${c.name} ${c.product ?? '-'}/${c.cycle ?? '-'} ${c.version ?? `~${c.constraint}`}${c.dev ? ' dev' : ''}`);
}

describe('composeExtractor', () => {
  it.each([
    ['docker-compose.yml', true],
    ['docker-compose.override.yaml', true],
    ['docker-compose-dev.yml', true],
    ['compose.yaml', true],
    ['deploy/compose.prod.yml', true],
    ['composer.json', false],
    ['my-compose.yml', false],
  ])('%s → %s', (path, expected) => {
    expect(composeExtractor.fileRequired(path)).toBe(expected);
  });

  it('reads services.*.image with variable defaults, anchors and merges', () => {
    const text = `x-base: &base
  image: redis:7.2-alpine
  restart: always
services:
  db:
    image: postgres:\${PG_VERSION:-11}
  cache:
    <<: *base
  web:
    build: .
  app:
    image: \${REGISTRY}/app:\${TAG}
  mq:
    image: "rabbitmq:3.12-management"
`;
    expect(summary(text)).toEqual([
      '6 postgres postgresql/11 ~11',
      '2 redis redis/7.2 ~7.2-alpine',
      '2 alpine alpine-linux/- ~alpine',
      '14 rabbitmq rabbitmq/3.12 ~3.12-management',
    ]);
  });

  it('marks files for development and reports YAML errors', () => {
    expect(summary('services:\n  db:\n    image: mysql:5.7\n', 'docker-compose.dev.yml')).toEqual(['3 mysql mysql/5.7 ~5.7 dev']);
    const broken = composeExtractor.extract({ path: 'compose.yml', text: 'services:\n  db:\n    image: [\n' });
    expect(broken.errors[0]!.message).toMatch(/not valid YAML/);
  });
});
