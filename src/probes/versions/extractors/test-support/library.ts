/**
 * Test helpers for the library extractors: fixture files (stored with a `.fixture` suffix so that
 * package managers, scanners and prodeng itself do not take them for real lockfiles) and a compact
 * one-line rendering of components for table-style assertions.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Component, ExtractResult, Extractor } from '../../model.js';

export const FIXTURES = new URL('../fixtures/', import.meta.url);

export function fixture(relative: string): string {
  return readFileSync(new URL(relative, FIXTURES), 'utf8');
}

/** Runs an extractor on a fixture as if it were the file at `path`; the extractor must want that path. */
export function extractFixture(extractor: Extractor, relative: string, path: string): ExtractResult {
  expect(extractor.fileRequired(path), `${extractor.id} wants ${path}`).toBe(true);
  return extractor.extract({ path, text: fixture(relative) });
}

/** `name@version (constraint) direct dev :line` — the fields tests care about, in one line. */
export function brief(c: Component): string {
  const parts = [`${c.name}@${c.version ?? '-'}`];
  if (c.constraint !== undefined) parts.push(`(${c.constraint})`);
  if (c.direct) parts.push('direct');
  if (c.dev) parts.push('dev');
  parts.push(`:${c.source.line ?? '?'}`);
  return parts.join(' ');
}

export function briefs(result: ExtractResult): string[] {
  return result.components.map(brief);
}

export function purls(result: ExtractResult): (string | undefined)[] {
  return result.components.map((c) => c.purl);
}

/** The single component with that name (and version); fails the test otherwise. */
export function only(result: ExtractResult, name: string, version?: string | null): Component {
  const found = result.components.filter((c) => c.name === name && (version === undefined || c.version === version));
  expect(found, `${name}@${version ?? '*'}`).toHaveLength(1);
  return found[0] as Component;
}

/**
 * The file's dependency graph as `name@version > name@version` lines (component order, then the
 * order of `dependsOn`), after checking that ids are unique and that every `dependsOn` names one.
 */
export function edges(result: ExtractResult): string[] {
  const byId = new Map<string, Component>();
  for (const c of result.components) {
    if (c.id === undefined) continue;
    expect(byId.has(c.id), `duplicate id ${c.id}`).toBe(false);
    expect(c.dependsOn, `dependsOn of ${c.id}`).toBeDefined();
    byId.set(c.id, c);
  }
  const label = (c: Component): string => `${c.name}@${c.version ?? '-'}`;
  const out: string[] = [];
  for (const c of result.components) {
    for (const id of c.dependsOn ?? []) {
      const target = byId.get(id);
      expect(target, `${c.id} depends on unknown id ${id}`).toBeDefined();
      expect(id, 'no self reference').not.toBe(c.id);
      if (target !== undefined) out.push(`${label(c)} > ${label(target)}`);
    }
  }
  return out;
}
