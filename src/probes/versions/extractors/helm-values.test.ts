import { describe, expect, it } from 'vitest';
import { helmValuesExtractor } from './helm-values.js';

function images(text: string): string[] {
  return helmValuesExtractor
    .extract({ path: 'chart/values.yaml', text })
    .components.filter((c) => c.purl !== undefined)
    .map((c) => `${c.source.line} ${c.name} ${c.product ?? '-'}/${c.cycle ?? '-'} ${c.version ?? c.constraint ?? '(appVersion)'}`);
}

describe('helmValuesExtractor', () => {
  it.each([
    ['values.yaml', true],
    ['chart/values.yml', true],
    ['chart/values-prod.yaml', true],
    ['chart/values.staging.yaml', true],
    ['chart/myvalues.yaml', false],
    ['chart/Chart.yaml', false],
  ])('%s → %s', (path, expected) => {
    expect(helmValuesExtractor.fileRequired(path)).toBe(expected);
  });

  it('finds images as maps and strings anywhere in the tree', () => {
    const text = `image:
  repository: bitnami/postgresql
  tag: 15.4.0-debian-11-r10
  pullPolicy: IfNotPresent
metrics:
  image:
    registry: docker.io
    repository: bitnami/postgres-exporter
    tag: 0.15.0
redis:
  image: redis:7.2
  sidecarImage: "busybox:1.36"
app:
  image:
    repository: ghcr.io/acme/app
    tag: ""
templated:
  image: "{{ .Values.global.image }}"
numbers:
  image:
    repository: nginx
    tag: 1.20
flags:
  image: true
  useImage: enabled
`;
    expect(images(text)).toEqual([
      '2 bitnami/postgresql postgresql/15 15.4.0',
      '8 bitnami/postgres-exporter -/- 0.15.0',
      '11 redis redis/7.2 7.2',
      '12 busybox -/- 1.36',
      '15 ghcr.io/acme/app -/- (appVersion)',
      '21 nginx nginx/1.20 1.20',
    ]);
    expect(helmValuesExtractor.extract({ path: 'values.yaml', text }).errors).toEqual([]);
  });

  it('reports broken YAML', () => {
    expect(helmValuesExtractor.extract({ path: 'values.yaml', text: 'image:\n  tag: [\n' }).errors[0]!.message).toMatch(/not valid YAML/);
  });
});
