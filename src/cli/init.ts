import { existsSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { allProbes } from '../probes/registry.js';
import { defineCommand, UsageError, type CommandSpec, type OptionsSpec } from './args.js';

export const initSpec = {
  name: 'init',
  summary: 'Write a commented prodeng.yml for the current directory.',
  usage: 'prodeng init [--force]',
  options: {
    force: { type: 'boolean', description: 'Overwrite an existing prodeng.yml.' },
  },
  positionals: { max: 0, hint: 'run it in the directory to configure' },
} as const satisfies CommandSpec<OptionsSpec>;

export const initCommand = defineCommand(initSpec, async ({ options }, io) => {
  const file = join(io.cwd, 'prodeng.yml');
  if (existsSync(file) && !options.force) throw new UsageError('prodeng.yml already exists; pass --force to overwrite it');
  writeFileSync(file, initialConfig(basename(io.cwd) || 'my-system'));
  io.stdout.write(`Wrote prodeng.yml. Next: \`npx prodeng observe\` records the first snapshot.\n`);
  return 0;
});

/** The starting config: every key commented, every value the default, so it runs as written. */
export function initialConfig(name: string): string {
  const safeName = /^[^\s/\\#:'"{}[\],&*!|>%@`][^/\\#:]*$/.test(name) ? name : JSON.stringify(name);
  const probeBlocks = allProbes
    .map((probe) => {
      const lines = [`  # ${probe.id}: ${probe.title} (${probe.aspect}) — set to false to turn it off`, `  ${probe.id}:`];
      for (const option of probe.options) lines.push(`    # ${option.key}: ${option.default}    # ${option.description}`);
      if (probe.options.length === 0) lines[1] += ' {}';
      else lines.push('    {}');
      return lines.join('\n');
    })
    .join('\n');
  return `# prodeng configuration — https://github.com/prodeng/prodeng#configuration
# Validate it with \`prodeng observe\`: every error names its line and key.
version: 1

# The systems to observe: a unit your team maintains, with where it can be observed.
systems:
  - name: ${safeName}
    repo: .              # a repository or directory, relative to this file
    # endpoints:         # TLS and HTTP endpoints to observe (only these are ever contacted)
    #   - https://www.example.com/
    #   - { url: "tls://10.0.0.5:5432", sni: db.internal }
    # schedule: "0 6 * * *"   # when \`prodeng serve\` observes this system (cron; off to never)

# Options per probe (\`prodeng probes\` lists them); a system may override them under its own \`probes:\`.
probes:
${probeBlocks}

# Findings you decided not to act on, with a reason and an end date. An expired entry is itself
# reported, so exceptions do not quietly become permanent.
ignore: []
#  - rule: todo/marker          # or: fingerprint: <hex shown in reports>
#    path: "test/fixtures/**"   # optional path glob
#    reason: "fixtures contain markers on purpose"
#    until: 2027-06-30

# Time limit per probe, in seconds.
timeout: 600

# For \`prodeng serve\`: when systems are observed (cron, in this time zone; a system's own
# \`schedule:\` wins), and how many systems are observed at once.
schedule: "0 6 * * *"
# timezone: Asia/Tokyo   # default: this machine's zone
concurrentRuns: 2
`;
}
