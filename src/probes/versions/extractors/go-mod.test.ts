import { describe, expect, it } from 'vitest';
import { goModExtractor } from './go-mod.js';
import { briefs, extractFixture, only } from './test-support/library.js';

describe('go.mod', () => {
  it('wants go.mod outside vendor/', () => {
    expect(goModExtractor.fileRequired('go.mod')).toBe(true);
    expect(goModExtractor.fileRequired('tools/go.mod')).toBe(true);
    expect(goModExtractor.fileRequired('vendor/github.com/x/y/go.mod')).toBe(false);
    expect(goModExtractor.fileRequired('go.sum')).toBe(false);
  });

  it('requires (blocks and lines), indirect, replacements that pin a version', () => {
    const r = extractFixture(goModExtractor, 'go/go.mod.fixture', 'go.mod');
    expect(r.errors).toEqual([]);
    expect(briefs({ ...r, components: r.components.filter((c) => c.kind === 'library') })).toEqual([
      'github.com/gin-gonic/gin@v1.9.1 direct :8',
      'github.com/old/thing@v1.0.0 direct :9', // replaced by a local path: left as required
      'github.com/pkg/errors@v0.8.1 direct :10', // replace without old version
      'golang.org/x/net@v0.19.0 :11', // replace of that exact version
      'golang.org/x/text@v0.0.0-20230110181048-76d3f6a53e22 :12', // "// indirect; used by net"
      'gopkg.in/yaml.v3@v3.0.1 :13', // quoted path
      'github.com/docker/docker@v24.0.7+incompatible direct :14',
      'github.com/stretchr/testify@v1.8.4 direct :17',
    ]);
    expect(only(r, 'github.com/gin-gonic/gin').purl).toBe('pkg:golang/github.com/gin-gonic/gin@v1.9.1');
    expect(only(r, 'github.com/docker/docker').purl).toBe('pkg:golang/github.com/docker/docker@v24.0.7%2Bincompatible');
  });

  it('go and toolchain lines are runtime components of product go', () => {
    const r = extractFixture(goModExtractor, 'go/go.mod.fixture', 'go.mod');
    expect(r.components.filter((c) => c.kind === 'runtime')).toEqual([
      { kind: 'runtime', name: 'go', version: null, constraint: '>=1.21', ecosystem: null, direct: true, dev: false, product: 'go', cycle: '1.21', source: { path: 'go.mod', line: 3 } },
      { kind: 'runtime', name: 'go', version: '1.22.3', ecosystem: null, direct: true, dev: false, product: 'go', cycle: '1.22', source: { path: 'go.mod', line: 5 } },
    ]);
    const patch = goModExtractor.extract({ path: 'go.mod', text: 'module m\n\ngo 1.21.5\n' });
    expect(patch.components[0]).toMatchObject({ constraint: '>=1.21.5', cycle: '1.21' });
  });

  it('reports malformed lines and an unclosed block, keeps the rest', () => {
    const r = goModExtractor.extract({ path: 'go.mod', text: 'module m\n\nrequire (\n\tgithub.com/a/b v1.0.0\n\tbroken\n\t"unterminated v1\n' });
    expect(briefs(r)).toEqual(['github.com/a/b@v1.0.0 direct :4']);
    expect(r.errors).toEqual([
      { message: 'malformed require: "broken"', line: 5 },
      { message: 'unterminated string', line: 6 },
      { message: 'unclosed require block', line: 3 },
    ]);
  });
});
