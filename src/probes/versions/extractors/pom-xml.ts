/**
 * Maven pom.xml: the project's own declared dependencies (Maven resolves the rest at build time).
 *
 * Components: each `<dependencies><dependency>` (name `groupId:artifactId`; `<scope>test</scope>` →
 * dev), the `<parent>` (often the framework: spring-boot-starter-parent) and BOMs imported in
 * `<dependencyManagement>` (`<scope>import</scope>`), all direct. Versions go through `${property}`
 * substitution (`<properties>`, `project.version`, `project.parent.version`, …); a dependency without
 * a version takes the one from `<dependencyManagement>`. A version that stays unresolved (a property
 * from a parent POM) or is a range is kept as the constraint, with a null version.
 *
 * The Java release (`maven-compiler-plugin` `<release>`/`<source>`, or the `maven.compiler.release`,
 * `maven.compiler.source` or `java.version` properties) is a runtime component `java` with its cycle
 * (`1.8` → `8`) and no product: endoflife.date names Java by distribution, which the lead maps.
 * Profiles are not read.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Component, Extractor } from '../model.js';
import type { Collector } from './library-support.js';
import { basename, guarded, inDirectory, isBlank, isRecord } from './library-support.js';

const ARRAY_TAGS = new Set(['dependency', 'plugin', 'exclusion', 'module', 'profile', 'execution']);
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

function parser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: true,
    processEntities: false,
    htmlEntities: false,
    captureMetaData: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    isArray: (name) => ARRAY_TAGS.has(name),
  });
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Text content of an element, with the XML entities decoded; undefined for a missing or complex element. */
function text(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (!v.includes('&')) return v;
  return v.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Math.min(parseInt(e.slice(2), 16), 0x10ffff));
    if (e.startsWith('#')) return String.fromCodePoint(Math.min(parseInt(e.slice(1), 10), 0x10ffff));
    return ENTITIES[e] ?? '';
  });
}

function list(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v.filter(isRecord);
  return isRecord(v) ? [v] : [];
}

function child(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const p of path) {
    if (!isRecord(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/**
 * The text with its DOCTYPE blanked out (same length, line breaks kept): entity declarations are
 * never expanded (no entity bombs, no external entities) and the parser does not refuse the file.
 */
function withoutDoctype(text: string): string {
  const start = text.indexOf('<!DOCTYPE');
  if (start < 0) return text;
  const bracket = text.indexOf('[', start);
  const close = text.indexOf('>', start);
  let end = close;
  if (bracket >= 0 && bracket < close) {
    const subset = text.indexOf(']', bracket);
    end = subset < 0 ? -1 : text.indexOf('>', subset);
  }
  if (end < 0) end = text.length - 1;
  return text.slice(0, start) + text.slice(start, end + 1).replace(/[^\n]/g, ' ') + text.slice(end + 1);
}

function read(c: Collector): void {
  const xml = withoutDoctype(c.text);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) c.error(`invalid XML: ${valid.err.msg}`, valid.err.line);
  let doc: unknown;
  try {
    doc = parser().parse(xml);
  } catch (e) {
    c.error(`unreadable XML: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const project = child(doc, 'project');
  if (!isRecord(project)) {
    if (valid === true) c.error('no <project> element');
    return;
  }
  const lineOf = (node: unknown): number | undefined => {
    if (!isRecord(node)) return undefined;
    const meta = (node as Record<symbol, unknown>)[META];
    const start = isRecord(meta) && typeof meta['startIndex'] === 'number' ? meta['startIndex'] : undefined;
    return start !== undefined ? c.lines.lineAt(start) : undefined;
  };
  const lineOfTag = (tag: string): number | undefined => {
    const at = c.text.indexOf(`<${tag}>`);
    return at >= 0 ? c.lines.lineAt(at) : undefined;
  };

  // Properties, then the built-in project.* ones.
  const props = new Map<string, string>();
  const properties = project['properties'];
  if (isRecord(properties)) {
    for (const [k, v] of Object.entries(properties)) {
      const t = text(v);
      if (t !== undefined) props.set(k, t);
    }
  }
  const parent = isRecord(project['parent']) ? project['parent'] : undefined;
  const builtins: [string, unknown][] = [
    ['project.version', project['version'] ?? parent?.['version']],
    ['project.groupId', project['groupId'] ?? parent?.['groupId']],
    ['project.artifactId', project['artifactId']],
    ['project.parent.version', parent?.['version']],
    ['project.parent.groupId', parent?.['groupId']],
    ['project.parent.artifactId', parent?.['artifactId']],
  ];
  for (const [k, v] of builtins) {
    const t = text(v);
    if (t === undefined) continue;
    props.set(k, t);
    props.set(`pom.${k.slice('project.'.length)}`, t);
    if (k === 'project.version') props.set('version', t);
  }
  const resolve = (s: string): string => {
    let cur = s;
    for (let k = 0; k < 10 && cur.includes('${'); k++) {
      const next = cur.replace(/\$\{([^}]*)\}/g, (m, key: string) => props.get(key) ?? m);
      if (next === cur) break;
      cur = next;
    }
    return cur;
  };

  /** Version or constraint of a resolved version text. */
  const versionOf = (raw: string | undefined): { version: string | null; constraint?: string } => {
    if (raw === undefined || raw === '') return { version: null };
    const v = resolve(raw);
    // unresolved: a property from elsewhere, an undeclared entity, a range
    if (v.includes('${') || /&[^;\s]*;/.test(v) || /^[[(]/.test(v) || v.includes(',')) return { version: null, constraint: v };
    return { version: v };
  };

  if (parent !== undefined) {
    const g = text(parent['groupId']);
    const a = text(parent['artifactId']);
    if (g !== undefined && a !== undefined) {
      c.library('maven', { name: `${resolve(g)}:${resolve(a)}`, ...versionOf(text(parent['version'])), direct: true, dev: false, line: lineOf(parent) });
    }
  }

  const managed = new Map<string, string>();
  for (const dep of list(child(project, 'dependencyManagement', 'dependencies', 'dependency'))) {
    const g = text(dep['groupId']);
    const a = text(dep['artifactId']);
    const v = text(dep['version']);
    if (g === undefined || a === undefined) continue;
    const name = `${resolve(g)}:${resolve(a)}`;
    if (v !== undefined) managed.set(name, v);
    if (text(dep['scope']) === 'import') {
      c.library('maven', { name, ...versionOf(v), direct: true, dev: false, line: lineOf(dep) });
    }
  }

  list(child(project, 'dependencies', 'dependency')).forEach((dep, k) => {
    const g = text(dep['groupId']);
    const a = text(dep['artifactId']);
    const line = lineOf(dep);
    if (g === undefined || a === undefined) {
      c.error(`dependency #${k + 1} has no groupId or artifactId`, line);
      return;
    }
    const name = `${resolve(g)}:${resolve(a)}`;
    const scope = text(dep['scope']);
    c.library('maven', { name, ...versionOf(text(dep['version']) ?? managed.get(name)), direct: true, dev: scope === 'test', line });
  });

  // The Java release.
  const plugins = [...list(child(project, 'build', 'plugins', 'plugin')), ...list(child(project, 'build', 'pluginManagement', 'plugins', 'plugin'))];
  const compiler = plugins.find((p) => text(p['artifactId']) === 'maven-compiler-plugin');
  const configuration = compiler !== undefined && isRecord(compiler['configuration']) ? compiler['configuration'] : undefined;
  const candidates: [string | undefined, number | undefined][] = [
    [text(configuration?.['release']), lineOf(configuration)],
    [props.get('maven.compiler.release'), lineOfTag('maven.compiler.release')],
    [text(configuration?.['source']), lineOf(configuration)],
    [props.get('maven.compiler.source'), lineOfTag('maven.compiler.source')],
    [props.get('java.version'), lineOfTag('java.version')],
  ];
  for (const [raw, line] of candidates) {
    if (raw === undefined || raw === '') continue;
    const release = resolve(raw);
    if (!/^\d+(\.\d+)?$/.test(release)) continue;
    const cycle = release.startsWith('1.') ? release.slice(2) : release;
    const comp: Component = {
      kind: 'runtime',
      name: 'java',
      version: null,
      constraint: release,
      ecosystem: null,
      direct: true,
      dev: false,
      cycle,
      source: line !== undefined ? { path: c.path, line } : { path: c.path },
    };
    c.add(comp);
    break;
  }
}

export const pomXmlExtractor: Extractor = {
  id: 'pom-xml',
  fileRequired: (path) => basename(path) === 'pom.xml' && !inDirectory(path, 'target'),
  extract: guarded((c) => {
    if (isBlank(c.text)) return;
    read(c);
  }),
};
