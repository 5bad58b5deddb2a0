/**
 * `pyproject.toml`: the Python a project requires — `[project] requires-python` and
 * `[tool.poetry.dependencies] python` — as runtime components with the requirement as constraint
 * (its lower bound picks the cycle: `>=3.9` → 3.9). Dependencies are the library extractors' job.
 */
import { parse } from 'smol-toml';
import type { Extractor } from '../model.js';
import { baseName, firstLine, guarded, MAX_VALUE_CHARS, runtimeComponent, tomlErrorLine, tomlKeyLine } from './runtime-support.js';

function table(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export const pyprojectPythonExtractor: Extractor = {
  id: 'pyproject-python',
  fileRequired: (path) => baseName(path) === 'pyproject.toml',
  extract: guarded((results, { text }) => {
    let document: Record<string, unknown>;
    try {
      document = parse(text) as Record<string, unknown>;
    } catch (error) {
      results.error(`not valid TOML: ${firstLine((error as Error).message)}`, tomlErrorLine(error));
      return;
    }
    const declared: Array<{ value: unknown; line: number; where: string }> = [];
    const project = table(document.project);
    if (project && project['requires-python'] !== undefined) {
      declared.push({ value: project['requires-python'], line: tomlKeyLine(text, ['project'], 'requires-python'), where: 'project.requires-python' });
    }
    const poetry = table(table(table(document.tool)?.poetry)?.dependencies);
    if (poetry && poetry.python !== undefined) {
      const python = table(poetry.python)?.version ?? poetry.python;
      declared.push({ value: python, line: tomlKeyLine(text, ['tool', 'poetry', 'dependencies'], 'python'), where: 'tool.poetry.dependencies.python' });
    }
    for (const { value, line, where } of declared) {
      if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_VALUE_CHARS) {
        results.error(`${where} is not a version requirement`, line);
        continue;
      }
      if (value.trim() === '*') continue;
      results.add(runtimeComponent({ name: 'python', value, product: 'python', path: results.path, line }));
    }
  }),
};
