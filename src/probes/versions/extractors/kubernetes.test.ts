import { describe, expect, it } from 'vitest';
import { kubernetesExtractor } from './kubernetes.js';

function run(text: string, path = 'k8s/app.yaml') {
  return kubernetesExtractor.extract({ path, text });
}

function images(text: string): string[] {
  return run(text).components.filter((c) => c.purl !== undefined).map((c) => `${c.source.line} ${c.name}:${c.version ?? c.constraint}`);
}

describe('kubernetesExtractor', () => {
  it.each([
    ['k8s/deployment.yaml', true],
    ['manifests/all.yml', true],
    ['docker-compose.yml', false],
    ['.gitlab-ci.yml', false],
    ['chart/values.yaml', false],
    ['.github/workflows/ci.yml', false],
    ['pnpm-lock.yaml', false],
    ['chart/Chart.yaml', false],
    ['README.md', false],
  ])('%s → %s', (path, expected) => {
    expect(kubernetesExtractor.fileRequired(path)).toBe(expected);
  });

  it('reads containers and initContainers of every workload in a multi-document stream', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: flyway/flyway:9
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
        - name: proxy
          image: nginx:1.25-alpine
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: backup
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: backup
              image: postgres:13
---
apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  containers:
    - {name: shell, image: "busybox:1.36"}
  ephemeralContainers:
    - name: dbg
      image: alpine:3.18
---
# empty document
---
apiVersion: v1
kind: ConfigMap
data:
  image: not-a-container:1
`;
    expect(images(text)).toEqual(['10 flyway/flyway:9', '13 ghcr.io/acme/web:1.4.2', '15 nginx:1.25-alpine', '28 postgres:13', '35 busybox:1.36', '38 alpine:3.18']);
    expect(run(text).errors).toEqual([]);
  });

  it('skips files that are not manifests without parsing them', () => {
    expect(run('name: ci\non: push\n')).toEqual({ components: [], errors: [] });
    expect(run('kind: Config\nimage: node:18\n')).toEqual({ components: [], errors: [] });
  });

  it('skips Helm templates without errors and keeps their literal images', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: app
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
        - name: sidecar
          image: envoyproxy/envoy:v1.27-latest
`;
    expect(run(text).errors).toEqual([]);
    expect(images(text)).toEqual(['10 envoyproxy/envoy:v1.27-latest']);
    const unparsable = 'apiVersion: v1\nkind: Pod\n{{- if .Values.enabled }}\nspec: {}\n{{- end }}\n';
    expect(run(unparsable)).toEqual({ components: [], errors: [] });
  });

  it('reports broken YAML in a manifest and survives an alias bomb', () => {
    expect(run('apiVersion: v1\nkind: Pod\nspec: [\n').errors[0]!.message).toMatch(/not valid YAML/);
    const bomb = ['apiVersion: v1', 'kind: List', 'a: &a ["x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]', 'g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]'].join('\n');
    const result = run(bomb);
    expect(result.components).toEqual([]);
    expect(result.errors[0]!.message).toMatch(/aliases|nodes/);
  });
});
