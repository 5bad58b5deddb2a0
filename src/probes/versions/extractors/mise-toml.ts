/**
 * mise (formerly rtx) configuration: `[tools]` in `mise.toml`, `.mise.toml`, `mise.<env>.toml`,
 * `mise.local.toml`, `.config/mise.toml`, `.config/mise/config.toml`, `.mise/config.toml`,
 * `.rtx.toml`. Values are a string (`"20"`, `"lts"`, `"prefix:3.11"`, several separated by spaces),
 * an array of strings, or a table with `version`. A bare Java version is OpenJDK, as mise installs it.
 */
import { parse } from 'smol-toml';
import type { Extractor } from '../model.js';
import { baseName, dirName, firstLine, guarded, tomlErrorLine, tomlKeyLine } from './runtime-support.js';
import { toolComponent } from './runtime-tools.js';

function isMiseConfig(path: string): boolean {
  const name = baseName(path);
  if (/^\.?mise(?:\.[\w-]+)?\.toml$/.test(name) || name === '.rtx.toml' || name === 'rtx.toml') return true;
  const dir = dirName(path);
  const parent = baseName(dir);
  if (name === 'config.toml' && (parent === 'mise' || parent === '.mise') ) return true;
  return name === 'mise.toml' && parent === '.config';
}

function versionsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((part) => part !== '');
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(versionsOf);
  if (typeof value === 'object' && value !== null && 'version' in value) return versionsOf((value as { version: unknown }).version);
  return [];
}

export const miseTomlExtractor: Extractor = {
  id: 'mise-toml',
  fileRequired: isMiseConfig,
  extract: guarded((results, { text }) => {
    let document: Record<string, unknown>;
    try {
      document = parse(text) as Record<string, unknown>;
    } catch (error) {
      results.error(`not valid TOML: ${firstLine((error as Error).message)}`, tomlErrorLine(error));
      return;
    }
    const tools = document.tools;
    if (tools === undefined) return;
    if (typeof tools !== 'object' || tools === null || Array.isArray(tools)) {
      results.error('[tools] is not a table', tomlKeyLine(text, [], 'tools'));
      return;
    }
    for (const [tool, value] of Object.entries(tools)) {
      const line = tomlKeyLine(text, ['tools'], tool);
      for (const version of versionsOf(value)) {
        results.add(toolComponent(tool, version, { path: results.path, line }, { javaDefault: 'openjdk' }));
      }
    }
  }),
};
