import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dockerfileExtractor, dockerInstructions } from './dockerfile.js';

function run(text: string, path = 'Dockerfile') {
  return dockerfileExtractor.extract({ path, text });
}

function images(text: string, path = 'Dockerfile') {
  return run(text, path).components.map((c) => `${c.source.line} ${c.kind} ${c.name} ${c.product ?? '-'}/${c.cycle ?? '-'} ${c.version ?? `~${c.constraint}`}`);
}

describe('dockerfileExtractor.fileRequired', () => {
  it.each([
    ['Dockerfile', true],
    ['services/api/Dockerfile', true],
    ['Dockerfile.prod', true],
    ['Dockerfile-dev', true],
    ['build/app.dockerfile', true],
    ['app.Dockerfile', true],
    ['Containerfile', true],
    ['dockerfile', true],
    ['Dockerfile.dockerignore', false],
    ['Dockerfile.md', false],
    ['docs/dockerfile-guide.txt', false],
    ['Dockerfiles/readme', false],
  ])('%s → %s', (path, expected) => {
    expect(dockerfileExtractor.fileRequired(path)).toBe(expected);
  });
});

describe('dockerfileExtractor', () => {
  it('reads FROM with platform, tag, digest and stage name; multi-stage references are not images', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      'FROM --platform=$BUILDPLATFORM node:16-buster AS build',
      'RUN npm ci',
      'FROM build AS test',
      'FROM python:3.9-alpine3.14@sha256:0123456789abcdef0123456789abcdef',
      'COPY --from=build /app /app',
      'COPY --from=0 /x /y',
      'COPY --from=composer:2 /usr/bin/composer /usr/bin/composer',
      'FROM scratch',
      'COPY --from=BUILD /app /app',
    ].join('\n');
    expect(images(text)).toEqual([
      '2 runtime node nodejs/16 ~16-buster',
      '2 os debian debian/10 ~buster',
      '5 runtime python python/3.9 ~3.9-alpine3.14',
      '5 os alpine alpine-linux/3.14 ~alpine3.14',
      '8 middleware composer composer/2.10 ~2',
    ]);
    expect(run(text).errors).toEqual([]);
    expect(run(text).components[0]!.purl).toBe('pkg:docker/library/node@16-buster');
  });

  it('substitutes ARG defaults declared before the first FROM', () => {
    const text = ['ARG NODE=18', 'ARG BASE="node:${NODE}-alpine"', 'ARG UNSET', 'FROM ${BASE}', 'FROM node:${NODE:-20}', 'FROM ${UNSET}', 'FROM node:${UNSET:-22}-slim', 'ARG LATE=1', 'FROM node:${LATE}'].join('\n');
    expect(images(text)).toEqual([
      '4 runtime node nodejs/18 ~18-alpine',
      '4 os alpine alpine-linux/- ~alpine',
      '5 runtime node nodejs/18 ~18',
      '7 runtime node nodejs/22 ~22-slim',
    ]);
    expect(run(text).errors).toEqual([]);
  });

  it('follows line continuations, comments inside them, escape directives and heredocs', () => {
    const text = ['# escape=`', 'FROM `', '  # a comment', '  mcr.microsoft.com/windows/servercore:ltsc2022 `', '  AS base', 'RUN <<EOF', 'FROM not-an-instruction:1', 'EOF', 'FROM ubuntu:22.04'].join('\n');
    expect(images(text)).toEqual(['2 os mcr.microsoft.com/windows/servercore windows-server/2022 ~ltsc2022', '9 os ubuntu ubuntu/22.04 ~22.04']);
    expect(dockerInstructions('FROM a \\\n  AS b\nRUN x').map((i) => [i.keyword, i.args, i.line])).toEqual([
      ['FROM', 'a  AS b', 1],
      ['RUN', 'x', 3],
    ]);
  });

  it('marks development Dockerfiles', () => {
    expect(run('FROM node:18', '.devcontainer/Dockerfile').components[0]!.dev).toBe(true);
    expect(run('FROM node:18', 'Dockerfile.dev').components[0]!.dev).toBe(true);
    expect(run('FROM node:18', 'docker/test.Dockerfile').components[0]!.dev).toBe(true);
    expect(run('FROM node:18', 'Dockerfile.prod').components[0]!.dev).toBe(false);
  });

  it('reports what is not an image, skips what is templated', () => {
    const result = run('FROM\nFROM Not/AN:Image!\nFROM {{ .Values.base }}\nFROM $REGISTRY/app:1');
    expect(result.components).toEqual([]);
    expect(result.errors).toEqual([
      { message: 'FROM without an image', line: 1 },
      { message: 'not a container image reference: "Not/AN:Image!"', line: 2 },
    ]);
  });

  it('gives back the image of any generated FROM line', () => {
    const name = fc.stringMatching(/^[a-z0-9]{1,12}(?:[_-][a-z0-9]{1,6})?(?:\/[a-z0-9]{1,12}){0,2}$/);
    const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
    fc.assert(
      fc.property(name, tag, fc.boolean(), fc.boolean(), (image, version, platform, stage) => {
        const line = `FROM ${platform ? '--platform=linux/amd64 ' : ''}${image}:${version}${stage ? ' AS build' : ''}`;
        const result = run(`# comment\n${line}\n`);
        expect(result.errors).toEqual([]);
        const first = result.components[0]!;
        expect(first.source).toEqual({ path: 'Dockerfile', line: 2 });
        expect(first.purl).toContain(image.includes('/') ? image : `library/${image}`);
        expect(first.version ?? first.constraint).toBe(first.version === null ? version : version.replace(/^v/, ''));
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = run(text);
        expect(Array.isArray(result.components)).toBe(true);
      }),
    );
  });
});
