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
