/** The built dashboard: no inline script or style, hashed assets that exist, within the size budget. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../scripts/build-dashboard.ts';

describe('dashboard build', () => {
  const out = mkdtempSync(join(tmpdir(), 'prodeng-dashboard-'));
  let result: Awaited<ReturnType<typeof buildDashboard>>;
  beforeAll(async () => {
    result = await buildDashboard(out);
  }, 60_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes index.html that only references hashed files of its own', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toHaveLength(3);
    for (const ref of refs) {
      expect(ref).toMatch(/^\/assets\/(app|icon)-[A-Za-z0-9_-]{8,}\.(js|css|svg)$/);
      expect(existsSync(join(out, ref))).toBe(true);
    }
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it('stays well within 100 KB gzip', () => {
    expect(result.gzipTotal).toBeLessThan(100 * 1024);
    const js = result.files.find((file) => file.name.endsWith('.js'));
    expect(js?.gzip).toBeLessThan(60 * 1024);
  });

  it('bundles no source map and no CDN reference', () => {
    const text = result.files.filter((file) => /\.(js|css)$/.test(file.name)).map((file) => readFileSync(join(out, file.name), 'utf8')).join('\n');
    expect(/sourceMappingURL|unpkg|jsdelivr|cdnjs|esm\.sh|googleapis/.exec(text)).toBeNull();
    expect(/@import|url\(\s*['"]?https?:/.exec(text)).toBeNull();
  });
});
