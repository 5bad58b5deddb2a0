import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { activeEolData, EOL_CACHE_FILE, EolDataError, eolDataSchema, findBundledDataFile, loadEolData, parseEolData, readEolDataFile, setActiveEolData, type EolData } from './data.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prodeng-eol-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  setActiveEolData(null);
});

function tinyData(asOf: string): EolData {
  return {
    source: 'test',
    commit: 'api',
    asOf,
    products: { nodejs: { title: 'Node.js', category: 'framework', cycles: [{ cycle: '99', eol: false }] } },
  };
}

describe('bundled data', () => {
  it('is found from src/eol, dist/eol and dist/bundle, and not from elsewhere', () => {
    const expected = join(ROOT, 'data', 'endoflife.json');
    expect(findBundledDataFile()).toBe(expected);
    expect(findBundledDataFile(pathToFileURL(join(ROOT, 'dist', 'eol', 'data.js')).href)).toBe(expected);
    expect(findBundledDataFile(pathToFileURL(join(ROOT, 'dist', 'bundle', 'main.js')).href)).toBe(expected);
    const far = tempDir();
    expect(findBundledDataFile(pathToFileURL(join(far, 'a', 'b', 'c', 'd', 'e', 'f.js')).href)).toBeNull();
  });

  it('loads, validates and carries its date and source', () => {
    const data = loadEolData();
    expect(data.origin).toBe('bundled');
    expect(data.asOf).toBe('2026-08-22');
    expect(data.source).toContain('endoflife.date');
    expect(data.warnings).toEqual([]);
    expect(Object.keys(data.products).length).toBeGreaterThan(400);
    expect(data.products.nodejs?.cycles.find((cycle) => cycle.cycle === '16')?.eol).toBe('2023-09-11');
    expect(data.products.debian?.cycles.find((cycle) => cycle.cycle === '10')?.codename).toBe('Buster');
    expect(data.products.react?.purls).toContainEqual({ type: 'npm', name: 'react' });
    expect(data.products.angular?.purls).toContainEqual({ type: 'npm', namespace: '@angular', name: 'core' });
    expect(existsSync(join(ROOT, 'data', 'endoflife.LICENSE'))).toBe(true);
  });

  it('is small: no links, labels or device products', () => {
    const text = readFileSync(join(ROOT, 'data', 'endoflife.json'), 'utf8');
    expect(text.length).toBeLessThan(1_000_000);
    expect(text).not.toContain('"link"');
    expect(text).not.toContain('releaseLabel');
    expect(loadEolData().products.iphone).toBeUndefined();
  });

  it('is what the build script makes from an endoflife.date snapshot', () => {
    // A small snapshot in the shape of ../shared/data/endoflife (which a clean clone need not have).
    const source = tempDir();
    writeFileSync(join(source, 'LICENSE'), 'Copyright 2020 endoflife.date contributors\n\nMIT License text\n');
    writeFileSync(
      join(source, 'products.json'),
      JSON.stringify({
        source: 'endoflife.date products/*.md front matter',
        commit: 'a70eca337600e7d721dc48112c271f98661d208b',
        generatedFrom: 'endoflife-date/endoflife.date',
        products: {
          nodejs: {
            title: 'Node.js',
            category: 'framework',
            identifiers: [{ purl: 'pkg:generic/node' }, { purl: 'pkg:docker/library/node' }, { cpe: 'cpe:2.3:a:nodejs:node.js' }],
            releases: [
              { releaseCycle: '24', releaseDate: '2025-05-06', lts: '2025-10-28', eoas: '2026-10-20', eol: '2028-04-30', latest: '24.11.1', link: 'https://x' },
              { releaseCycle: '16', releaseDate: '2021-04-20', lts: '2021-10-26', eoas: '2022-10-18', eol: '2023-09-11', latest: '16.20.2' },
            ],
          },
          iphone: { title: 'iPhone', category: 'device', releases: [{ releaseCycle: '15', eol: false }] },
        },
      }),
    );
    const out = tempDir();
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-eol-data.ts'), '--source', source, '--out', out], { stdio: 'pipe' });
    expect(readFileSync(join(out, 'endoflife.LICENSE'), 'utf8')).toContain('MIT');
    const built = readEolDataFile(join(out, 'endoflife.json'));
    expect(Object.keys(built.products)).toEqual(['nodejs']);
    expect(built.products.nodejs!.cycles.map((c) => c.cycle)).toEqual(['24', '16']);
    expect(readFileSync(join(out, 'endoflife.json'), 'utf8')).not.toContain('"link"');
  });
});

describe('cache', () => {
  it('is used when at least as recent as the bundled data', () => {
    const dir = tempDir();
    writeFileSync(join(dir, EOL_CACHE_FILE), JSON.stringify(tinyData('2027-01-01')));
    const data = loadEolData({ cacheDir: dir });
    expect(data.origin).toBe('cache');
    expect(data.asOf).toBe('2027-01-01');
    expect(data.path).toBe(join(dir, EOL_CACHE_FILE));
  });

  it('is ignored when older', () => {
    const dir = tempDir();
    writeFileSync(join(dir, EOL_CACHE_FILE), JSON.stringify(tinyData('2020-01-01')));
    expect(loadEolData({ cacheDir: dir }).origin).toBe('bundled');
  });

  it('is ignored with a warning when malformed, silently when missing', () => {
    const dir = tempDir();
    expect(loadEolData({ cacheDir: dir }).warnings).toEqual([]);
    writeFileSync(join(dir, EOL_CACHE_FILE), '{"source": 1');
    const broken = loadEolData({ cacheDir: dir });
    expect(broken.origin).toBe('bundled');
    expect(broken.warnings[0]).toMatch(/not JSON/);
    writeFileSync(join(dir, EOL_CACHE_FILE), JSON.stringify({ ...tinyData('2027-01-01'), asOf: 'yesterday' }));
    expect(loadEolData({ cacheDir: dir }).warnings[0]).toMatch(/asOf/);
  });

  it('re-reads a cache file that changed', () => {
    const dir = tempDir();
    const file = join(dir, EOL_CACHE_FILE);
    writeFileSync(file, JSON.stringify(tinyData('2027-01-01')));
    expect(loadEolData({ cacheDir: dir }).asOf).toBe('2027-01-01');
    writeFileSync(file, JSON.stringify(tinyData('2027-02-02')) + '   ');
    expect(loadEolData({ cacheDir: dir }).asOf).toBe('2027-02-02');
  });
});

describe('parseEolData', () => {
  it('names the problem', () => {
    expect(() => parseEolData('[]', 'x.json')).toThrow(EolDataError);
    expect(() => parseEolData(JSON.stringify({ ...tinyData('2027-01-01'), products: { a: { title: 'A', category: 'x', cycles: [{ cycle: '1', eol: 'soon' }] } } }), 'x.json')).toThrow(
      /products\.a\.cycles\.0\.eol/,
    );
    expect(eolDataSchema.safeParse(tinyData('2027-01-01')).success).toBe(true);
  });
});

describe('active data', () => {
  it('defaults to the bundled snapshot and can be replaced', () => {
    expect(activeEolData().asOf).toBe('2026-08-22');
    setActiveEolData(tinyData('2030-01-01'));
    expect(activeEolData().asOf).toBe('2030-01-01');
    setActiveEolData(null);
    expect(activeEolData().asOf).toBe('2026-08-22');
  });
});
