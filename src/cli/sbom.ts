import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { extractRepository } from '../probes/versions/index.js';
import { versionsConfigSchema } from '../probes/versions/config.js';
import { toCycloneDx } from '../sbom/cyclonedx.js';
import { toSpdx } from '../sbom/spdx.js';
import { choice, defineCommand, UsageError, type CommandSpec, type OptionsSpec } from './args.js';
import { toolVersion, writeOutput } from './context.js';

export const SBOM_FORMATS = ['cyclonedx-json', 'spdx-json'] as const;

export const sbomSpec = {
  name: 'sbom',
  summary: 'Write a software bill of materials (CycloneDX 1.6 or SPDX 2.3 JSON) of everything found in a repository.',
  usage: 'prodeng sbom [PATH] [--format cyclonedx-json|spdx-json] [--output FILE]',
  details: `PATH is a repository or directory (default: the current directory). The SBOM lists the
libraries of every lockfile and manifest, with their dependency graph where the lockfile records
it, plus the runtimes, OS and images the repository declares — the same inventory the versions
probe reads. Nothing is installed or built.`,
  options: {
    format: { type: 'string', value: 'FORMAT', description: `${SBOM_FORMATS.join(' or ')} (default cyclonedx-json).` },
    output: { type: 'string', short: 'o', value: 'FILE', description: 'Write to FILE instead of stdout.' },
    name: { type: 'string', value: 'NAME', description: 'Name of the described system (default: the folder name).' },
  },
  positionals: { max: 1, hint: 'give one repository path' },
} as const satisfies CommandSpec<OptionsSpec>;

export const sbomCommand = defineCommand(sbomSpec, async ({ options, positionals }, io) => {
  const format = choice('format', options.format, SBOM_FORMATS, 'cyclonedx-json');
  const root = resolve(io.cwd, positionals[0] ?? '.');
  try {
    if (!statSync(root).isDirectory()) throw new UsageError(`${positionals[0]}: not a directory`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${positionals[0] ?? '.'}: no such directory`);
  }
  const { components, errors } = await extractRepository(root, versionsConfigSchema.parse({}), new AbortController().signal);
  for (const error of errors) io.stderr.write(`prodeng: ${error.path ? `${error.path}: ` : ''}${error.message}\n`);
  const name = options.name ?? (basename(root) || 'system');
  const now = new Date();
  const document = format === 'cyclonedx-json' ? toCycloneDx(components, { name, now, toolVersion: toolVersion() }) : toSpdx(components, { name, now, toolVersion: toolVersion() });
  writeOutput(`${JSON.stringify(document, null, 2)}\n`, options.output, io);
  return 0;
});
