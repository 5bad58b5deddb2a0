/**
 * How a transitive package got into a project: the shortest chains of packages from a direct
 * dependency to it, read from the dependency graph that lockfile extractors record (`id`,
 * `dependsOn`; see model.ts). Pure; one breadth-first search per file.
 */
import type { Component } from './model.js';

/** At most this many paths per package. */
export const MAX_PATHS = 3;

export interface DependencyPathOptions {
  /** Paths kept per package (default 3). */
  maxPaths?: number;
}

/**
 * For each transitive component (not `direct`, reachable from a direct one in the same file), its
 * shortest paths from a direct dependency, as package names from the direct dependency to the
 * component itself: `qs` → `[['express', 'body-parser', 'qs']]`. Only paths of the shortest
 * length are kept: if express also depended on qs itself, `qs` → `[['express', 'qs']]`.
 *
 * - Graphs are per file (`source.path`): ids are only unique within their file.
 * - Breadth-first from every direct component of the file at once, so each path is a shortest
 *   one; at most `maxPaths` per package, the first found (in the order of the components and of
 *   their `dependsOn`); paths that read the same (same names) are kept once.
 * - Cycles are safe (a package is visited once); `dependsOn` ids that name nothing are ignored.
 * - Linear in the size of the graph times `maxPaths` and the path length.
 *
 * Direct components, unreachable ones and components without a graph (no `id`) are not in the map.
 */
export function dependencyPaths(components: readonly Component[], options: DependencyPathOptions = {}): Map<Component, string[][]> {
  const max = Math.max(1, Math.floor(options.maxPaths ?? MAX_PATHS));
  const result = new Map<Component, string[][]>();
  const byFile = new Map<string, Component[]>();
  for (const c of components) {
    if (c.id === undefined) continue;
    const list = byFile.get(c.source.path);
    if (list === undefined) byFile.set(c.source.path, [c]);
    else list.push(c);
  }
  for (const list of byFile.values()) pathsInFile(list, max, result);
  return result;
}

function pathsInFile(components: readonly Component[], max: number, result: Map<Component, string[][]>): void {
  const byId = new Map<string, Component>();
  for (const c of components) if (c.id !== undefined && !byId.has(c.id)) byId.set(c.id, c);

  const depth = new Map<Component, number>();
  const paths = new Map<Component, string[][]>();
  const seenPaths = new Map<Component, Set<string>>();
  const queue: Component[] = [];
  for (const c of byId.values()) {
    if (!c.direct) continue;
    depth.set(c, 0);
    paths.set(c, [[c.name]]);
    queue.push(c);
  }
  // Every component of depth d is dequeued before any of depth d + 1, so a component's paths are
  // complete when it is dequeued.
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head] as Component;
    const d = depth.get(u) ?? 0;
    const from = paths.get(u) ?? [];
    for (const id of u.dependsOn ?? []) {
      const v = byId.get(id);
      if (v === undefined) continue;
      const dv = depth.get(v);
      if (dv === undefined) {
        depth.set(v, d + 1);
        paths.set(v, []);
        seenPaths.set(v, new Set());
        queue.push(v);
      } else if (dv !== d + 1) continue; // already reached by a shorter path (or a direct one)
      const list = paths.get(v) as string[][];
      const seen = seenPaths.get(v) as Set<string>;
      for (const p of from) {
        if (list.length >= max) break;
        const path = [...p, v.name];
        const key = path.join('\u0000');
        if (seen.has(key)) continue;
        seen.add(key);
        list.push(path);
      }
    }
  }
  for (const [c, d] of depth) if (d > 0) result.set(c, paths.get(c) ?? []);
}
