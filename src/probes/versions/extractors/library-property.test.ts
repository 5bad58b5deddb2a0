/**
 * Property tests: arbitrary text never makes an extractor throw (and never gives a dangling
 * dependency graph), and for generated well-formed package-lock.json v3, requirements.txt and
 * go.mod files every generated package comes back with its version (and, where the format says,
 * its direct/dev flags, line and dependencies).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goModExtractor } from './go-mod.js';
import { libraryExtractors } from './library-extractors.js';
import { pep503 } from './library-support.js';
import { packageLockExtractor } from './package-lock.js';
import { requirementsTxtExtractor } from './requirements-txt.js';

const PATHS = ['package-lock.json', 'package.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'requirements.txt', 'poetry.lock', 'uv.lock', 'Pipfile.lock', 'go.mod', 'Cargo.lock', 'Gemfile.lock', 'composer.lock', 'pom.xml', 'gradle.lockfile', 'packages.lock.json'];

/** Pieces of the formats' syntax, so that random inputs reach deep into the parsers. */
const FRAGMENTS = [
  '{', '}', '[', ']', '"', "'", ':', ',', '\n', '\r\n', '  ', '    ', '\t', '#', '//', '/*', '*/', '\\', '=', '==', '>=', '~=', ';', '@', '/',
  '"packages": {', '"node_modules/a": {"version": "1.0.0"}', '"lockfileVersion": 3', '"dependencies": {', '"": {', 'node_modules/',
  '__metadata:\n', 'resolution: "a@npm:1.0.0"', 'version "1.0.0"', 'a@^1:\n', 'lockfileVersion: \'9.0\'\n', 'packages:\n', 'snapshots:\n',
  'importers:\n', "  '@a/b@1.0.0(c@2)':\n", '    dev: true\n', '{integrity: x}', '&a ', '*a', '!!str ', '|\n', '>-\n', '---\n', '? ',
  '[[package]]\n', 'name = "a"\n', 'version = "1.0.0"\n', 'source = { editable = "." }\n', 'dependencies = [\n', '"""', "'''",
  'require (\n', ')\n', 'go 1.21\n', 'toolchain go1.22.1\n', ' // indirect', 'replace a => b v1.0.0\n', 'github.com/a/b v1.2.3',
  'GEM\n', '  specs:\n', '    rack (3.0.0)\n', 'DEPENDENCIES\n', 'RUBY VERSION\n   ruby 3.2.2p53\n', 'PLATFORMS\n',
  '<project>', '</project>', '<dependency>', '</dependency>', '<version>${x}</version>', '<!DOCTYPE x [<!ENTITY e "v">]>', '&e;',
  'a:b:1.0=testCompileClasspath\n', '"type": "Direct"', '"resolved": "1.0.0"', 'django==4.2', '-r other.txt\n', '--hash=sha256:ab',
  '<<<<<<< HEAD\n', '=======\n', '>>>>>>> x\n', '\u0000', '\uFEFF', 'é', '😀', '\u2028',
];

const fragmentText = fc
  .array(
    fc.oneof(
      { arbitrary: fc.constantFrom(...FRAGMENTS), weight: 8 },
      { arbitrary: fc.string({ maxLength: 6 }), weight: 2 },
      { arbitrary: fc.string({ maxLength: 6, unit: 'binary' }), weight: 1 },
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

describe('arbitrary text', () => {
  it('never makes a library extractor throw, and lines stay inside the file', () => {
    fc.assert(
      fc.property(fragmentText, fc.constantFrom(...PATHS), (text, path) => {
        const lines = text.split('\n').length;
        for (const extractor of libraryExtractors) {
          if (!extractor.fileRequired(path)) continue;
          const result = extractor.extract({ path, text });
          const ids = new Set<string>();
          for (const c of result.components) {
            if (c.source.line !== undefined) expect(c.source.line).toBeLessThanOrEqual(lines);
            expect(c.version === null || !/\s/.test(c.version)).toBe(true);
            if (c.id !== undefined) {
              expect(ids.has(c.id)).toBe(false);
              ids.add(c.id);
            }
          }
          // the dependency graph never dangles
          for (const c of result.components) for (const id of c.dependsOn ?? []) expect(ids.has(id) && id !== c.id).toBe(true);
          for (const e of result.errors) if (e.line !== undefined) expect(e.line).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('never makes any library extractor throw on plain strings, whatever the path', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom(...PATHS), (text, path) => {
        for (const extractor of libraryExtractors) extractor.extract({ path, text });
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------- generated well-formed files

const semver = fc
  .tuple(fc.nat({ max: 40 }), fc.nat({ max: 40 }), fc.nat({ max: 400 }), fc.option(fc.constantFrom('-alpha.1', '-rc.2', '-beta'), { nil: undefined }))
  .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre ?? ''}`);
const npmWord = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
const npmName = fc.oneof(npmWord, fc.tuple(npmWord, npmWord).map(([s, n]) => `@${s}/${n}`));

describe('package-lock.json v3', () => {
  it('every generated package comes back with its version, direct and dev flags, and its line', () => {
    const pkg = fc.record({ name: npmName, version: semver, dev: fc.boolean(), declared: fc.boolean(), nestedUnder: fc.option(npmWord, { nil: undefined }) });
    fc.assert(
      fc.property(fc.uniqueArray(pkg, { selector: (p) => `${p.nestedUnder ?? ''}/${p.name}`, maxLength: 40 }), fc.constantFrom(0, 2), (pkgs, indent) => {
        const root: Record<string, string> = {};
        const packages: Record<string, unknown> = { '': { name: 'root', version: '1.0.0', dependencies: root } };
        // name@version → merged flags (a copy in two places is one component: direct if any, dev if all)
        const expected = new Map<string, { direct: boolean; dev: boolean; keys: string[] }>();
        for (const p of pkgs) {
          const key = p.nestedUnder !== undefined ? `node_modules/${p.nestedUnder}/node_modules/${p.name}` : `node_modules/${p.name}`;
          packages[key] = { version: p.version, resolved: `https://registry.npmjs.org/${p.name}/-/x-${p.version}.tgz`, ...(p.dev ? { dev: true } : {}) };
          const direct = p.declared && p.nestedUnder === undefined;
          if (direct) root[p.name] = `^${p.version}`;
          const id = `${p.name}@${p.version}`;
          const seen = expected.get(id);
          if (seen === undefined) expected.set(id, { direct, dev: p.dev, keys: [key] });
          else expected.set(id, { direct: seen.direct || direct, dev: seen.dev && p.dev, keys: [...seen.keys, key] });
        }
        const text = JSON.stringify({ name: 'root', lockfileVersion: 3, requires: true, packages }, null, indent);
        const result = packageLockExtractor.extract({ path: 'package-lock.json', text });
        expect(result.errors).toEqual([]);
        expect(result.components).toHaveLength(expected.size);
        const lines = text.split('\n');
        for (const c of result.components) {
          const want = expected.get(`${c.name}@${c.version}`);
          expect(want).toBeDefined();
          expect(c.direct).toBe(want?.direct);
          expect(c.dev).toBe(want?.dev);
          // the line of the first copy's key
          expect(lines[(c.source.line ?? 0) - 1]).toContain(indent > 0 ? JSON.stringify(want?.keys[0]) : '"packages"');
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('package-lock.json v3 dependency graph', () => {
  it('each dependency resolves like Node: the nested copy under the dependent first, then the top level', () => {
    const gen = fc
      .uniqueArray(npmWord, { minLength: 1, maxLength: 12 })
      .chain((names) =>
        fc.record({
          names: fc.constant(names),
          nested: fc.array(fc.tuple(fc.nat({ max: names.length - 1 }), fc.nat({ max: names.length - 1 })), { maxLength: 8 }),
          deps: fc.array(fc.tuple(fc.nat({ max: names.length - 1 }), fc.nat({ max: names.length - 1 })), { maxLength: 30 }),
        }),
      );
    fc.assert(
      fc.property(gen, ({ names, nested, deps }) => {
        const packages: Record<string, { version: string; dependencies: Record<string, string> }> = {};
        names.forEach((n, k) => (packages[`node_modules/${n}`] = { version: `1.0.${k}`, dependencies: {} }));
        for (const [parent, child] of nested) packages[`node_modules/${names[parent]}/node_modules/${names[child]}`] = { version: `2.0.${child}`, dependencies: {} };
        for (const [from, to] of deps) {
          const fromKey = `node_modules/${names[from]}`;
          (packages[fromKey] as { dependencies: Record<string, string> }).dependencies[names[to] as string] = '*';
        }
        const text = JSON.stringify({ lockfileVersion: 3, packages: { '': { dependencies: Object.fromEntries(names.map((n) => [n, '*'])) }, ...packages } });
        const result = packageLockExtractor.extract({ path: 'package-lock.json', text });
        expect(result.errors).toEqual([]);
        const byId = new Map(result.components.map((c) => [c.id, c]));
        for (const [key, entry] of Object.entries(packages)) {
          if (key.split('node_modules/').length > 2) continue; // nested copies have no dependencies here
          const c = result.components.find((x) => x.id === key) ?? result.components.find((x) => x.name === key.slice(13) && x.version === entry.version);
          expect(c).toBeDefined();
          const want = Object.keys(entry.dependencies).map((d) => (packages[`${key}/node_modules/${d}`] !== undefined ? `${key}/node_modules/${d}` : `node_modules/${d}`));
          // a copy merged into another (same name and version) points to the id kept for it
          const got = (c?.dependsOn ?? []).map((id) => byId.get(id)).map((x) => `${x?.name}@${x?.version}`);
          const wantLabels = [...new Set(want.filter((w) => w !== c?.id).map((w) => `${w.slice(w.lastIndexOf('node_modules/') + 13)}@${packages[w]?.version}`))];
          expect(new Set(got)).toEqual(new Set(wantLabels.filter((l) => l !== `${c?.name}@${c?.version}`)));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('requirements.txt', () => {
  const pyName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,6}([-_.][A-Za-z0-9]{1,5}){0,2}$/);
  const pyVersion = fc.oneof(
    semver.map((v) => v.replace(/-.*/, '')),
    fc.tuple(fc.nat({ max: 30 }), fc.nat({ max: 12 })).map(([a, b]) => `${a}.${b}`),
    fc.tuple(fc.nat({ max: 2030 }), fc.nat({ max: 12 })).map(([a, b]) => `${a}.${b}.post1`),
  );
  const line = fc.record({
    name: pyName,
    version: pyVersion,
    extras: fc.option(fc.constantFrom('[security]', '[a,b]'), { nil: undefined }),
    spaces: fc.boolean(),
    marker: fc.option(fc.constantFrom('; python_version >= "3.8"', ' ; sys_platform == "linux"'), { nil: undefined }),
    comment: fc.option(fc.constantFrom('  # pinned', ' #x'), { nil: undefined }),
    hashes: fc.nat({ max: 2 }),
  });

  it('every pinned requirement comes back with its version, on its first line', () => {
    fc.assert(
      fc.property(fc.uniqueArray(line, { selector: (l) => pep503(l.name), maxLength: 30 }), fc.boolean(), (reqs, crlf) => {
        const out: string[] = ['# generated', ''];
        const lineOf = new Map<string, number>();
        for (const r of reqs) {
          lineOf.set(pep503(r.name), out.length + 1);
          const op = r.spaces ? ' == ' : '==';
          let text = `${r.name}${r.extras ?? ''}${op}${r.version}${r.marker ?? ''}`;
          if (r.hashes > 0) {
            text += ' \\';
            out.push(text);
            for (let h = 0; h < r.hashes; h++) out.push(`    --hash=sha256:${'ab'.repeat(32)}${h < r.hashes - 1 ? ' \\' : ''}`);
          } else out.push(text + (r.comment ?? ''));
          if (reqs.indexOf(r) % 4 === 3) out.push('-r other.txt', '');
        }
        const text = out.join(crlf ? '\r\n' : '\n');
        const result = requirementsTxtExtractor.extract({ path: 'requirements.txt', text });
        expect(result.errors).toEqual([]);
        expect(result.components).toHaveLength(reqs.length);
        for (const r of reqs) {
          const c = result.components.find((x) => x.name === pep503(r.name));
          expect(c?.version).toBe(r.version);
          expect(c?.source.line).toBe(lineOf.get(pep503(r.name)));
          expect(c?.purl).toBe(`pkg:pypi/${pep503(r.name)}@${r.version}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('go.mod', () => {
  const seg = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
  const modulePath = fc.tuple(fc.constantFrom('github.com', 'golang.org/x', 'gopkg.in', 'example.com'), seg, fc.option(seg, { nil: undefined })).map(([h, a, b]) => (b === undefined ? `${h}/${a}` : `${h}/${a}/${b}`));
  const goVersion = fc.oneof(
    semver.map((v) => `v${v}`),
    fc.tuple(fc.nat({ max: 3 }), fc.integer({ min: 20200101, max: 20241231 })).map(([m, d]) => `v${m}.0.0-${d}120000-abcdef012345`),
    fc.nat({ max: 30 }).map((m) => `v${m + 2}.0.0+incompatible`),
  );
  const req = fc.record({ path: modulePath, version: goVersion, indirect: fc.boolean(), inBlock: fc.boolean(), quoted: fc.boolean() });

  it('every required module comes back with its version and direct flag', () => {
    fc.assert(
      fc.property(fc.uniqueArray(req, { selector: (r) => r.path, maxLength: 30 }), fc.constantFrom('1.19', '1.21', '1.22.3'), (reqs, go) => {
        const block = reqs.filter((r) => r.inBlock);
        const single = reqs.filter((r) => !r.inBlock);
        const fmt = (r: { path: string; version: string; indirect: boolean; quoted: boolean }) => `${r.quoted ? `"${r.path}"` : r.path} ${r.version}${r.indirect ? ' // indirect' : ''}`;
        const text = ['module example.com/me', '', `go ${go}`, '', 'require (', ...block.map((r) => `\t${fmt(r)}`), ')', '', ...single.map((r) => `require ${fmt(r)}`), ''].join('\n');
        const result = goModExtractor.extract({ path: 'go.mod', text });
        expect(result.errors).toEqual([]);
        const libs = result.components.filter((c) => c.kind === 'library');
        expect(libs).toHaveLength(reqs.length);
        for (const r of reqs) {
          const c = libs.find((x) => x.name === r.path);
          expect(c?.version).toBe(r.version);
          expect(c?.direct).toBe(!r.indirect);
        }
        expect(result.components.find((c) => c.kind === 'runtime')).toMatchObject({ name: 'go', constraint: `>=${go}`, product: 'go' });
      }),
      { numRuns: 300 },
    );
  });
});
