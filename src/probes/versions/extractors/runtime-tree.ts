/**
 * A small located document tree shared by the runtime extractors: maps, sequences and scalars with
 * their 1-based line, produced from YAML (runtime-yaml.ts) and JSON/JSONC (runtime-json.ts), so an
 * extractor reads `image` or `engines.node` and knows the line it came from.
 */

export interface TreeScalar {
  type: 'scalar';
  line: number;
  /** The parsed value (string, number, boolean, null). */
  value: unknown;
  /** The value as written for strings and numbers (`1.10` stays `1.10`); null for null, booleans, others. */
  text: string | null;
  /** A YAML block scalar (`|`, `>`): its content starts on the line after `line`. */
  block?: boolean;
}

export interface TreeMap {
  type: 'map';
  line: number;
  entries: Map<string, TreeNode>;
  /** Line of each key. */
  keyLines: Map<string, number>;
}

export interface TreeSeq {
  type: 'seq';
  line: number;
  items: TreeNode[];
}

export type TreeNode = TreeScalar | TreeMap | TreeSeq;

export function isMap(node: TreeNode | undefined | null): node is TreeMap {
  return node?.type === 'map';
}

export function isSeq(node: TreeNode | undefined | null): node is TreeSeq {
  return node?.type === 'seq';
}

export function isScalar(node: TreeNode | undefined | null): node is TreeScalar {
  return node?.type === 'scalar';
}

/** The node at a key path of maps, or undefined. */
export function get(node: TreeNode | undefined | null, ...keys: string[]): TreeNode | undefined {
  let current: TreeNode | undefined | null = node;
  for (const key of keys) {
    if (!isMap(current)) return undefined;
    current = current.entries.get(key);
  }
  return current ?? undefined;
}

/** The text of a string or number scalar (trimmed), else null. */
export function text(node: TreeNode | undefined | null): string | null {
  if (!isScalar(node) || node.text === null) return null;
  const trimmed = node.text.trim();
  return trimmed === '' ? null : trimmed;
}

/** Visits every node depth-first (pre-order) with the key it sits under (null for sequence items and the root). */
export function walk(node: TreeNode, visit: (node: TreeNode, key: string | null, parent: TreeNode | null) => void): void {
  const stack: Array<{ node: TreeNode; key: string | null; parent: TreeNode | null }> = [{ node, key: null, parent: null }];
  while (stack.length > 0) {
    const { node: current, key, parent } = stack.pop()!;
    visit(current, key, parent);
    if (current.type === 'map') {
      const entries = [...current.entries];
      for (let index = entries.length - 1; index >= 0; index--) stack.push({ node: entries[index]![1], key: entries[index]![0], parent: current });
    } else if (current.type === 'seq') {
      for (let index = current.items.length - 1; index >= 0; index--) stack.push({ node: current.items[index]!, key: null, parent: current });
    }
  }
}

/** Raised by the tree builders when a document is too large or too deep to walk safely. */
export class TreeLimitError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'TreeLimitError';
  }
}

/** At most this many nodes per file (alias expansion included), and this nesting depth. */
export const MAX_TREE_NODES = 500_000;
export const MAX_TREE_DEPTH = 256;
