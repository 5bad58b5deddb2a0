import { describe, expect, it } from 'vitest';
import { parseJsonTree } from './runtime-json.js';
import { get, isMap, isScalar, isSeq, text, walk } from './runtime-tree.js';

describe('runtime trees', () => {
  it('walks depth-first with the key each node sits under', () => {
    const root = parseJsonTree('{"a": {"image": "x"}, "b": [{"image": "y"}], "c": "  "}');
    const seen: string[] = [];
    walk(root, (node, key) => {
      if (key === 'image') seen.push(text(node)!);
    });
    expect(seen).toEqual(['x', 'y']);
    expect(text(get(root, 'c'))).toBeNull();
    expect(get(root, 'a', 'missing')).toBeUndefined();
    expect(get(root, 'c', 'deeper')).toBeUndefined();
    expect([isMap(root), isSeq(get(root, 'b')), isScalar(get(root, 'c'))]).toEqual([true, true, true]);
  });
});
