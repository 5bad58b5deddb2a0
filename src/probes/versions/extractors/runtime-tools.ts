/**
 * Version-manager tool entries (asdf `.tool-versions`, mise `[tools]`) → components: the tool name
 * picks the product (`nodejs` → Node.js, `golang` → Go, `java temurin-17` → Eclipse Temurin), the
 * value is a version, a prefix or a keyword. Tools endoflife.date does not track give nothing.
 */
import { javaProductForVendor, productForRuntime } from '../../../eol/products.js';
import type { Component } from '../model.js';
import { MAX_VALUE_CHARS, runtimeComponent } from './runtime-support.js';

const DISPLAY: Readonly<Record<string, string>> = { nodejs: 'node', golang: 'go', 'dotnet-core': 'dotnet', postgres: 'postgresql' };

/** Versions that name nothing to judge: the system's own, a local build, a git ref, a path. */
function ignored(value: string): boolean {
  return /^(?:system|ref:|path:|sub-\d|none$)/i.test(value);
}

/**
 * One tool and one of its versions. `javaDefault` is the distribution of a bare Java version
 * (mise installs OpenJDK builds; asdf has no default). Null when the tool is not tracked.
 */
export function toolComponent(
  tool: string,
  rawValue: string,
  at: { path: string; line: number },
  options: { javaDefault: string | null } = { javaDefault: null },
): Component | null {
  const value = rawValue.trim().replace(/^prefix:/, '');
  if (value === '' || value.length > MAX_VALUE_CHARS || ignored(value)) return null;
  const name = tool.trim().toLowerCase().replace(/^(?:core|asdf):/, '');
  if (name.includes(':')) return null; // npm:, cargo:, ubi:, aqua: backends install packages, not runtimes
  if (name === 'java') {
    const match = /^([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)-(\d.*)$/i.exec(value);
    const vendor = match ? match[1]! : options.javaDefault;
    const product = javaProductForVendor(vendor) ?? (match ? javaProductForVendor(match[1]!.split('-')[0]) : null);
    return runtimeComponent({ name: 'java', value: match ? match[2]! : value, product, path: at.path, line: at.line, kind: 'runtime' });
  }
  const product = productForRuntime(name);
  if (!product) return null;
  return runtimeComponent({ name: DISPLAY[name] ?? name, value, product, path: at.path, line: at.line });
}
