import { describe, expect, it } from 'vitest';
import { devcontainerExtractor } from './devcontainer.js';

describe('devcontainerExtractor', () => {
  it.each([
    ['.devcontainer/devcontainer.json', true],
    ['.devcontainer/python/devcontainer.json', true],
    ['.devcontainer.json', true],
    ['devcontainer.json', false],
  ])('%s → %s', (path, expected) => {
    expect(devcontainerExtractor.fileRequired(path)).toBe(expected);
  });

  it('reads the image and the runtimes features pin, from JSON with comments', () => {
    const text = `{
  // The base image
  "name": "app",
  "image": "mcr.microsoft.com/devcontainers/typescript-node:1-20-bullseye",
  /* features */
  "features": {
    "ghcr.io/devcontainers/features/python:1": { "version": "3.11" },
    "ghcr.io/devcontainers/features/java:1": { "version": "17", "jdkDistro": "tem" },
    "ghcr.io/devcontainers/features/docker-in-docker:2": {},
    "ghcr.io/devcontainers/features/go:1": { "version": "none" },
    "ghcr.io/devcontainers/features/github-cli:1": {},
  },
}
`;
    const result = devcontainerExtractor.extract({ path: '.devcontainer/devcontainer.json', text });
    expect(result.errors).toEqual([]);
    expect(result.components.map((c) => `${c.source.line} ${c.kind} ${c.name} ${c.product ?? '-'}/${c.cycle ?? '-'} ${c.version ?? `~${c.constraint}`} ${c.dev}`)).toEqual([
      '4 runtime mcr.microsoft.com/devcontainers/typescript-node nodejs/20 ~1-20-bullseye true',
      '4 os debian debian/11 ~bullseye true',
      '7 runtime python python/3.11 ~3.11 true',
      '8 runtime java eclipse-temurin/17 ~17 true',
      '9 container-runtime docker docker-engine/- ~latest true',
    ]);
  });

  it('reports malformed JSON with its line', () => {
    expect(devcontainerExtractor.extract({ path: '.devcontainer.json', text: '{\n  "image": "node:18"\n  "x": 1\n}' }).errors).toEqual([{ message: "not valid JSON: expected ',' or '}'", line: 3 }]);
  });
});
