import { describe, expect, it } from 'vitest';
import { get, isMap, isSeq, text } from './runtime-tree.js';
import { parseYamlDocuments } from './runtime-yaml.js';

describe('parseYamlDocuments', () => {
  it('keeps lines, number text as written, and block scalars', () => {
    const { documents, errors } = parseYamlDocuments('a:\n  version: 3.10\n  list:\n    - x\n    - 1.20\nb: |\n  one\n  two\n');
    expect(errors).toEqual([]);
    const root = documents[0]!;
    expect(text(get(root, 'a', 'version'))).toBe('3.10');
    expect(get(root, 'a', 'version')!.line).toBe(2);
    const list = get(root, 'a', 'list');
    expect(isSeq(list) && list.items.map((item) => [text(item), item.line])).toEqual([
      ['x', 4],
      ['1.20', 5],
    ]);
    expect(get(root, 'b')).toMatchObject({ type: 'scalar', line: 6, block: true, text: 'one\ntwo\n' });
  });

  it('reads every document of a stream, skipping broken and empty ones with an error for the broken', () => {
    const { documents, errors } = parseYamlDocuments('a: 1\n---\n---\nb: [\n---\nc: 3\n');
    expect(documents.map((document) => (isMap(document) ? [...document.entries.keys()] : null))).toEqual([['a'], ['c']]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^not valid YAML/);
    expect(errors[0]!.line).toBeGreaterThanOrEqual(4);
  });

  it('resolves aliases and merge keys, own keys first', () => {
    const { documents } = parseYamlDocuments('base: &base\n  image: a:1\n  x: 1\nother: &other\n  y: 2\njob:\n  <<: [*base, *other]\n  x: 9\n');
    const job = get(documents[0], 'job');
    expect(isMap(job) && Object.fromEntries([...job.entries].map(([key, value]) => [key, text(value)]))).toEqual({ x: '9', image: 'a:1', y: '2' });
  });

  it('stops alias bombs and very deep nesting with an error', () => {
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]'].join('\n');
    const result = parseYamlDocuments(bomb);
    expect(result.documents).toEqual([]);
    expect(result.errors[0]!.message).toMatch(/too many aliases/);
    const deep = parseYamlDocuments(`${'['.repeat(300)}${']'.repeat(300)}`);
    expect(deep.documents).toEqual([]);
    expect(deep.errors).toHaveLength(1);
  });

  it('never throws on odd input', () => {
    for (const input of ['', '---', ':', '? [a]\n: b', '!!binary x', '*missing', '\u0000', 'a: !custom 1', '%YAML 9.9\n---\na: 1']) {
      expect(() => parseYamlDocuments(input)).not.toThrow();
    }
  });
});
