/**
 * YAML → located trees (runtime-tree.ts) with the `yaml` package: multi-document streams, anchors
 * and aliases (bounded by `maxAliasCount` and a node budget, so an alias bomb is an error, not a
 * hang), and `<<` merge keys as GitLab CI and compose files use them. Parse errors become
 * file-scoped errors with their line; nothing throws.
 */
import { isAlias, isMap as isYamlMap, isPair, isScalar as isYamlScalar, isSeq as isYamlSeq, LineCounter, parseAllDocuments, Scalar, type Document, type Node } from 'yaml';
import type { ExtractError } from '../model.js';
import { MAX_TREE_DEPTH, MAX_TREE_NODES, TreeLimitError, type TreeMap, type TreeNode } from './runtime-tree.js';

/** Aliases a document may expand, as the `yaml` package counts them (its default is 100). */
export const MAX_ALIAS_COUNT = 1000;

export interface YamlDocuments {
  /** One tree per non-empty document, in order. */
  documents: TreeNode[];
  errors: ExtractError[];
}

interface Builder {
  doc: Document;
  lines: LineCounter;
  nodes: number;
}

function lineOf(builder: Builder, node: { range?: [number, number, number] | null } | null | undefined): number {
  const offset = node?.range?.[0];
  return offset === undefined ? 1 : builder.lines.linePos(offset).line;
}

function convert(builder: Builder, node: unknown, depth: number, line: number): TreeNode {
  if (++builder.nodes > MAX_TREE_NODES) throw new TreeLimitError(`more than ${MAX_TREE_NODES} YAML nodes (after alias expansion); not read`);
  if (depth > MAX_TREE_DEPTH) throw new TreeLimitError(`YAML nested deeper than ${MAX_TREE_DEPTH} levels; not read`, line);
  if (isAlias(node)) {
    const target = node.resolve(builder.doc);
    return convert(builder, target, depth + 1, lineOf(builder, node as Node));
  }
  if (isYamlScalar(node)) {
    const value = node.value;
    const own = lineOf(builder, node);
    let written: string | null = null;
    if (typeof value === 'string') written = value;
    else if (typeof value === 'number' || typeof value === 'bigint') written = typeof node.source === 'string' && node.source !== '' ? node.source : String(value);
    const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
    return block ? { type: 'scalar', line: own, value, text: written, block } : { type: 'scalar', line: own, value, text: written };
  }
  if (isYamlSeq(node)) {
    return { type: 'seq', line: lineOf(builder, node), items: node.items.map((item) => convert(builder, item, depth + 1, lineOf(builder, item as Node))) };
  }
  if (isYamlMap(node)) {
    const map: TreeMap = { type: 'map', line: lineOf(builder, node), entries: new Map(), keyLines: new Map() };
    const merges: TreeNode[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      const keyText = isYamlScalar(key) ? (key.value === null ? '' : String(key.value)) : null;
      if (keyText === null) continue; // complex keys never name what we read
      const keyLine = lineOf(builder, key as Node);
      if (keyText === '<<' && (isAlias(pair.value) || isYamlSeq(pair.value) || isYamlMap(pair.value))) {
        merges.push(convert(builder, pair.value, depth + 1, keyLine));
        continue;
      }
      const value = pair.value === null || pair.value === undefined ? ({ type: 'scalar', line: keyLine, value: null, text: null } as TreeNode) : convert(builder, pair.value, depth + 1, keyLine);
      map.entries.set(keyText, value);
      map.keyLines.set(keyText, keyLine);
    }
    // `<<: *base` and `<<: [*a, *b]`: explicit keys win, then the first source that has the key.
    for (const merge of merges) {
      const sources = merge.type === 'seq' ? merge.items : [merge];
      for (const source of sources) {
        if (source.type !== 'map') continue;
        for (const [key, value] of source.entries) {
          if (map.entries.has(key)) continue;
          map.entries.set(key, value);
          map.keyLines.set(key, source.keyLines.get(key) ?? value.line);
        }
      }
    }
    return map;
  }
  // Null documents and unknown nodes read as a null scalar.
  return { type: 'scalar', line, value: null, text: null };
}

/** Parses every document of a YAML stream. Errors are file-scoped; a broken document is skipped. */
export function parseYamlDocuments(source: string): YamlDocuments {
  const lines = new LineCounter();
  const errors: ExtractError[] = [];
  const documents: TreeNode[] = [];
  let parsed: Document[];
  try {
    const stream = parseAllDocuments(source, { lineCounter: lines, prettyErrors: false, merge: false, strict: false });
    parsed = Array.isArray(stream) ? (stream as Document[]) : [];
  } catch (error) {
    return { documents, errors: [{ message: `not valid YAML: ${(error as Error).message}` }] };
  }
  for (const doc of parsed) {
    const first = doc.errors[0];
    if (first) {
      const line = first.linePos?.[0]?.line ?? (first.pos ? lines.linePos(first.pos[0]).line : undefined);
      const message = `not valid YAML: ${first.message.split('\n')[0]}`;
      errors.push(line === undefined ? { message } : { message, line });
      continue;
    }
    if (doc.contents === null) continue;
    try {
      // The yaml package's own guard against entity expansion; throws on an alias bomb.
      doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      const tree = convert({ doc, lines, nodes: 0 }, doc.contents, 0, lineOf({ doc, lines, nodes: 0 }, doc.contents as Node));
      if (tree.type !== 'scalar' || tree.value !== null) documents.push(tree);
    } catch (error) {
      const line = error instanceof TreeLimitError ? error.line : lineOf({ doc, lines, nodes: 0 }, doc.contents as Node);
      const reason = error instanceof ReferenceError ? `too many aliases (more than ${MAX_ALIAS_COUNT} expansions); not read` : (error as Error).message;
      errors.push(line === undefined ? { message: reason } : { message: reason, line });
    }
  }
  return { documents, errors };
}
