/**
 * Maven Central (or any Maven 2 layout repository): `GET {base}/{group path}/{artifact}/maven-metadata.xml`
 * for a package named `groupId:artifactId`. The metadata lists versions (in deployment order),
 * `<latest>`, `<release>` and `<lastUpdated>`; the last is taken as the publication time of the
 * newest version (`<latest>`, else the last listed), every other version has `published: null`.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { validate, type Endpoint, type HttpClient } from './http.js';
import { DatasourceError, type PackageInfo, type RegistrySource } from './registry.js';

export const MAVEN_DEFAULT_BASE = 'https://repo1.maven.org/maven2';

const text = z.string().optional();

export const mavenMetadataSchema = z.object({
  metadata: z.object({
    groupId: text,
    artifactId: text,
    versioning: z
      .object({
        latest: text,
        release: text,
        // `<versions/>` parses as an empty string
        versions: z.union([z.object({ version: z.array(z.string()).optional() }), z.literal('')]).optional(),
        lastUpdated: text,
      })
      .optional(),
  }),
});
export type MavenMetadata = z.infer<typeof mavenMetadataSchema>;

const parser = new XMLParser({
  // versions stay text: `1.10` is not the number 1.1
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  processEntities: false,
  trimValues: true,
  jPath: true,
  isArray: (_name: string, jPath: unknown) => jPath === 'metadata.versioning.versions.version',
});

/** Parses maven-metadata.xml; not well-formed XML is `malformed`, naming the host. */
export function parseMavenMetadata(xml: string, host: string, where = 'maven-metadata.xml'): MavenMetadata {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    throw new DatasourceError('malformed', host, `${host}: the answer for ${where} is not XML (line ${wellFormed.err.line}: ${wellFormed.err.msg})`);
  }
  let data: unknown;
  try {
    data = parser.parse(xml);
  } catch (error) {
    throw new DatasourceError('malformed', host, `${host}: the answer for ${where} is not XML (${(error as Error).message})`);
  }
  return validate(mavenMetadataSchema, data, host, where);
}

/** `20240115123045` (UTC) → `2024-01-15T12:30:45Z`; null when it is not that shape. */
export function mavenTimestamp(value: string | undefined): string | null {
  const match = value ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value) : null;
  if (!match) return null;
  const iso = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

/** `org.slf4j:slf4j-api` → its coordinates; null for a name that is not `groupId:artifactId`. */
export function mavenCoordinates(name: string): { group: string; artifact: string } | null {
  const [group, artifact, ...rest] = name.trim().split(':');
  const part = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
  if (!group || !artifact || rest.length > 0 || !part.test(artifact) || !group.split('.').every((element) => part.test(element))) return null;
  return { group, artifact };
}

export function normaliseMaven(doc: MavenMetadata, name: string): PackageInfo {
  const versioning = doc.metadata.versioning;
  const listed = typeof versioning?.versions === 'object' ? (versioning.versions.version ?? []) : [];
  const versions = [...new Set(listed.filter((v) => v.length > 0))];
  const newest = versioning?.latest || versions[versions.length - 1];
  const updated = mavenTimestamp(versioning?.lastUpdated);
  return {
    ecosystem: 'maven',
    name,
    latest: versioning?.release || null,
    releases: versions.map((version) => ({ version, published: version === newest ? updated : null, deprecated: null, yanked: false })),
  };
}

export function createMavenSource(http: HttpClient, endpoint: Endpoint): RegistrySource {
  return {
    ecosystem: 'maven',
    host: endpoint.host,
    cacheKey: (name) => name.trim(),
    async lookup(name, signal) {
      const coordinates = mavenCoordinates(name);
      if (coordinates === null) return null;
      const path = `${coordinates.group.split('.').join('/')}/${coordinates.artifact}/maven-metadata.xml`;
      const url = `${endpoint.base}/${path}`;
      const xml = await http.getText(url, { signal, headers: { Accept: 'application/xml, text/xml', ...endpoint.headersFor(url) } });
      if (xml === null) return null;
      const doc = parseMavenMetadata(xml, endpoint.host, new URL(url).pathname);
      return normaliseMaven(doc, `${coordinates.group}:${coordinates.artifact}`);
    },
  };
}
