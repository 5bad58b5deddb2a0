/**
 * The `vulns` probe: known vulnerabilities (OSV advisories) in the libraries a repository locks,
 * how long they have been exposed, and the smallest fixing upgrade. Advisories come from a local
 * database (`prodeng data import-osv`), the OSV API and, optionally, npm's bulk endpoint.
 */
import { z } from 'zod';
import { fingerprint } from '../../core/fingerprint.js';
import type { Finding, Metric, ProbeError, Severity } from '../../core/model.js';
import type { Probe } from '../../core/probe.js';
import { AdvisoryDatabase, defaultDatabasePath, findVulnerabilities, localSource, npmBulkSource, osvApiSource, PartialAdvisoriesError, type AdvisorySource } from '../../osv/index.js';
import { versionsConfigSchema } from '../versions/config.js';
import { dependencyPaths } from '../versions/graph.js';
import { extractRepository, preferLocked } from '../versions/index.js';
import type { Component } from '../versions/model.js';

const RULE = 'vulns/known-vulnerability';

export const vulnsConfigSchema = z
  .object({
    osvApi: z.boolean().default(true),
    osvApiUrl: z.url().default('https://api.osv.dev'),
    npmAdvisories: z.boolean().default(false),
    npmRegistryUrl: z.url().default('https://registry.npmjs.org'),
    includeDev: z.boolean().default(true),
    exclude: z.array(z.string().min(1)).default([]),
    defaultExcludes: z.boolean().default(true),
  })
  .strict();
export type VulnsConfig = z.infer<typeof vulnsConfigSchema>;

const SEVERITY: Record<string, Severity> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low', none: 'info' };

export const vulnsProbe: Probe<VulnsConfig> = {
  id: 'vulns',
  aspect: 'security',
  title: 'Known vulnerabilities',
  description: 'OSV advisories affecting the locked versions of libraries, with exposure time and the smallest fixing upgrade.',
  rules: [
    {
      id: RULE,
      title: 'A dependency has a known vulnerability',
      description:
        'A locked library version is affected by a published advisory (OSV: GitHub, PyPI, Go, RustSec, …). Aliases (CVE, GHSA, …) are merged into one finding per package version; severity follows the advisory (CVSS v4/v3 when given).',
      defaultSeverity: 'high',
      remediation: 'Upgrade to the fixed version (data.fixed), or the next release that contains the fix; if there is none, mitigate and record an ignore with a reason and an end date.',
      helpUri: 'https://github.com/prodeng/prodeng/blob/main/src/probes/vulns/readme.md',
    },
  ],
  configSchema: vulnsConfigSchema,
  options: [
    { key: 'osvApi', type: 'boolean', default: 'true', description: 'Ask the OSV API (online); answers are cached in the local advisory database.' },
    { key: 'osvApiUrl', type: 'url', default: 'https://api.osv.dev', description: 'OSV API base URL (a mirror).' },
    { key: 'npmAdvisories', type: 'boolean', default: 'false', description: "Also ask the npm registry's bulk advisory endpoint for npm packages." },
    { key: 'npmRegistryUrl', type: 'url', default: 'https://registry.npmjs.org', description: 'npm registry for the bulk advisory endpoint.' },
    { key: 'includeDev', type: 'boolean', default: 'true', description: 'Check development dependencies too.' },
    { key: 'exclude', type: 'glob[]', default: '[]', description: 'Extra path globs whose lockfiles are not read.' },
    { key: 'defaultExcludes', type: 'boolean', default: 'true', description: 'Skip node_modules, vendor, virtualenvs and test fixtures, as the versions probe does.' },
  ],
  // Directions the trend analysis cannot tell from the names (see core/trend.ts).
  metrics: { 'vulns.packages_checked': { better: 'neither' } },
  appliesTo: (system) => system.sources.repo !== undefined,

  async run(ctx, config) {
    const extraction = await extractRepository(
      ctx.system.sources.repo!,
      versionsConfigSchema.parse({ exclude: config.exclude, defaultExcludes: config.defaultExcludes }),
      ctx.signal,
      (done, total) => ctx.progress('reading lockfiles', { done, total }),
    );
    const errors: ProbeError[] = [...extraction.errors];
    const all = preferLocked(extraction.components);
    const libraries = all.filter((c) => c.ecosystem !== null && c.version !== null && (config.includeDev || !c.dev));

    const database = AdvisoryDatabase.open(defaultDatabasePath(ctx.cacheDir));
    try {
      const stats = database.stats();
      const imported = Object.keys(stats.coverage).length > 0;
      const sources: AdvisorySource[] = [];
      if (imported) sources.push(localSource(database, { name: 'local advisory database' }));
      if (!ctx.offline) {
        if (config.osvApi) sources.push(osvApiSource({ baseUrl: config.osvApiUrl, database }));
        if (config.npmAdvisories) sources.push(npmBulkSource({ baseUrl: config.npmRegistryUrl }));
      }
      if (sources.length === 0) {
        errors.push({
          message: ctx.offline
            ? 'offline and no advisory database imported: run `prodeng data import-osv PATH` with OSV all.zip files; vulnerabilities are unknown'
            : 'no advisory source enabled (osvApi is off and no database is imported); vulnerabilities are unknown',
          code: 'osv-no-source',
        });
      }
      ctx.progress('matching advisories', { done: 0, total: libraries.length });
      const result = sources.length === 0 ? { packages: [], errors: [], unchecked: [] } : await findVulnerabilities(libraries, sources, { signal: ctx.signal, now: ctx.now });
      for (const error of result.errors) {
        // Online, the API answers for ecosystems the local database never imported.
        if (error instanceof PartialAdvisoriesError && !ctx.offline && config.osvApi) continue;
        errors.push({ message: error.message, path: error.host, code: `advisories-${error.code}` });
      }

      const paths = dependencyPaths(all);
      const byPackage = new Map<string, Component[]>();
      for (const c of libraries) {
        const key = `${c.ecosystem}\0${c.name}\0${c.version}`;
        const list = byPackage.get(key);
        if (list) list.push(c);
        else byPackage.set(key, [c]);
      }

      const findings: Finding[] = [];
      const counts: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
      let exposureMax = 0;
      let fixable = 0;
      for (const pkg of result.packages) {
        const declared = byPackage.get(`${pkg.ecosystem}\0${pkg.name}\0${pkg.version}`) ?? [];
        const first = declared[0];
        const direct = declared.some((c) => c.direct);
        const path = direct ? null : (declared.map((c) => paths.get(c)?.[0]).find((p) => p !== undefined) ?? null);
        for (const vuln of pkg.vulnerabilities) {
          const severity = SEVERITY[vuln.severity] ?? 'medium';
          counts[vuln.severity in counts ? vuln.severity : 'unknown']!++;
          if (vuln.ageDays !== null) exposureMax = Math.max(exposureMax, vuln.ageDays);
          if (vuln.fixed) fixable++;
          const where = first ? `${first.source.path}${first.source.line === undefined ? '' : `:${first.source.line}`}` : 'the repository';
          findings.push({
            rule: RULE,
            severity,
            title: `${pkg.name} ${pkg.version}: ${vuln.id}${vuln.summary ? ` ${vuln.summary}` : ''}`.slice(0, 200),
            message: `${pkg.osvEcosystem} package ${pkg.name} ${pkg.version} (${direct ? 'direct' : path ? `via ${path.join(' > ')}` : 'transitive'}) in ${where} is affected by ${[vuln.id, ...vuln.aliases].join(', ')}${vuln.score === null ? '' : ` (CVSS ${vuln.score})`}${vuln.published ? `, published ${vuln.published.slice(0, 10)}` : ''}. ${vuln.fixed ? `Fixed in ${vuln.fixed}.` : 'No fixed version is known.'}`,
            location: first ? { path: first.source.path, ...(first.source.line === undefined ? {} : { line: first.source.line }) } : null,
            fingerprint: fingerprint(RULE, pkg.osvEcosystem, pkg.name, pkg.version, vuln.id),
            data: {
              id: vuln.id,
              aliases: vuln.aliases,
              package: pkg.name,
              ecosystem: pkg.ecosystem,
              version: pkg.version,
              fixed: vuln.fixed,
              severity: vuln.severity,
              score: vuln.score,
              vector: vuln.vector,
              published: vuln.published,
              ageDays: vuln.ageDays,
              direct,
              path,
              summary: vuln.summary,
              references: vuln.references.slice(0, 5).map((reference) => reference.url),
              sources: declared.map((c) => c.source),
            },
            remediation: vuln.fixed ? `Upgrade ${pkg.name} to ${vuln.fixed} or later.` : 'No fix is published: mitigate, replace the package, or record an ignore with a reason and an end date.',
            effort: 'small',
          });
        }
      }
      const metrics: Metric[] = Object.entries(counts).map(([severity, value]) => ({ name: 'vulns.count', value, unit: 'vulnerabilities', labels: { severity } }));
      metrics.push({ name: 'vulns.exposure_days_max', value: exposureMax, unit: 'days', labels: {} });
      metrics.push({ name: 'vulns.fixable_count', value: fixable, unit: 'vulnerabilities', labels: {} });
      metrics.push({ name: 'vulns.packages_checked', value: result.packages.length, unit: 'packages', labels: {} });
      return {
        status: errors.length > 0 ? 'partial' : 'ok',
        findings,
        metrics,
        facts: {
          sources: sources.map((source) => source.name),
          database: { advisories: stats.advisories, ecosystems: Object.keys(stats.coverage), lastImport: stats.lastImport ?? null },
          packagesChecked: result.packages.length,
          notes: [
            `advisories: ${sources.map((source) => source.name).join(', ') || 'none'}${imported ? ` (local database: ${stats.advisories} advisories, imported ${(stats.lastImport ?? '').slice(0, 10)})` : ''}`,
          ],
        },
        errors: errors.length > 200 ? [...errors.slice(0, 200), { message: `… and ${errors.length - 200} more errors` }] : errors,
      };
    } finally {
      database.close();
    }
  },
};
