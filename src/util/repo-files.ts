/**
 * The files of a repository, as a probe that reads a few of them sees it: what git tracks plus
 * untracked files `.gitignore` does not exclude, or, outside git (or without git), a walk that
 * honours `.gitignore`. Paths are relative, with forward slashes.
 */
import type { ProbeError } from '../core/model.js';
import { CommandNotFoundError, gitListFiles, gitListUntracked, isGitWorkTree, readTrackedFromIndex } from './git.js';
import { walkFiles } from './walk.js';

export interface RepositoryFiles {
  files: string[];
  source: 'git' | 'filesystem';
  /** git was needed but is not installed: the walk was used instead. */
  gitMissing: boolean;
  errors: ProbeError[];
}

export async function listRepositoryFiles(root: string, signal?: AbortSignal): Promise<RepositoryFiles> {
  let gitMissing = false;
  try {
    const fromIndex = readTrackedFromIndex(root);
    if (fromIndex !== null) {
      const tracked = new Set(fromIndex.map((file) => file.path));
      const untracked = (await gitListUntracked(root, signal)).filter((path) => !tracked.has(path));
      return { files: [...tracked, ...untracked], source: 'git', gitMissing, errors: [] };
    }
    if (await isGitWorkTree(root, signal)) {
      return { files: (await gitListFiles(root, signal)).map((file) => file.path), source: 'git', gitMissing, errors: [] };
    }
  } catch (error) {
    if (!(error instanceof CommandNotFoundError)) throw error;
    gitMissing = true;
  }
  const errors: ProbeError[] = [];
  const files = walkFiles(root, { signal, onError: (path, error) => errors.push({ path, message: `cannot list ${path}: ${error.message}` }) });
  return { files, source: 'filesystem', gitMissing, errors };
}
