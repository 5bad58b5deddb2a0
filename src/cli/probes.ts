import { allProbes } from '../probes/registry.js';
import { defineCommand, choice, type CommandSpec, type OptionsSpec } from './args.js';

export const probesSpec = {
  name: 'probes',
  summary: 'List the probes, their aspects, rules and config options.',
  usage: 'prodeng probes [--format table|json]',
  options: {
    format: { type: 'string', value: 'FORMAT', description: 'table (default) or json.' },
  },
  positionals: { max: 0, hint: 'it lists every probe' },
} as const satisfies CommandSpec<OptionsSpec>;

export const probesCommand = defineCommand(probesSpec, async ({ options }, io) => {
  const format = choice('format', options.format, ['table', 'json'] as const, 'table');
  if (format === 'json') {
    const data = allProbes.map((probe) => ({
      id: probe.id,
      aspect: probe.aspect,
      title: probe.title,
      description: probe.description,
      rules: probe.rules,
      options: probe.options,
    }));
    io.stdout.write(`${JSON.stringify({ probes: data }, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [];
  for (const probe of allProbes) {
    out.push(`${probe.id}  (${probe.aspect})  ${probe.title}`, `  ${probe.description}`, '  rules:');
    for (const rule of probe.rules) out.push(`    ${rule.id.padEnd(28)} ${rule.defaultSeverity.padEnd(8)} ${rule.title}`);
    if (probe.options.length > 0) {
      out.push('  options (prodeng.yml: probes.' + probe.id + '.<key>):');
      const width = Math.max(...probe.options.map((o) => o.key.length)) + 2;
      for (const option of probe.options) {
        out.push(`    ${option.key.padEnd(width)}${option.type} = ${option.default}`, `    ${' '.repeat(width)}${option.description}`);
      }
    }
    out.push('');
  }
  io.stdout.write(`${out.join('\n')}`);
  return 0;
});
