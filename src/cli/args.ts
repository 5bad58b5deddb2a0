/**
 * Command-line parsing on top of `node:util` parseArgs. Options are declared as data with their
 * descriptions, so help text is generated from the same table the parser uses and no option can
 * go undocumented.
 */
import { parseArgs } from 'node:util';
import type { Io } from './context.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Shown in help as `--name VALUE`. */
  value?: string;
  description: string;
}

export type OptionsSpec = Record<string, OptionSpec>;

/** The parsed values, typed from the spec: strings, booleans, or arrays of them. */
export type ParsedOptions<O extends OptionsSpec> = {
  [K in keyof O]?: O[K]['multiple'] extends true
    ? O[K]['type'] extends 'string'
      ? string[]
      : boolean[]
    : O[K]['type'] extends 'string'
      ? string
      : boolean;
};

/** Exit code 2: the command line or the configuration cannot be used as given. */
export class UsageError extends Error {
  readonly code = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CommandSpec<O extends OptionsSpec> {
  name: string;
  summary: string;
  usage: string;
  /** Extra paragraphs after the options in `--help`. */
  details?: string;
  options: O;
  /** How many arguments the command takes (default: any), and what to say to one who gives more. */
  positionals?: { max: number; hint: string };
}

/** A command: its spec (for help) and what it does with parsed arguments. */
export interface Command {
  spec: CommandSpec<OptionsSpec>;
  run(argv: readonly string[], io: Io): Promise<number>;
}

/**
 * Binds a spec to its implementation: parsing, `--help` and the argument count are handled here,
 * once for every command.
 */
export function defineCommand<O extends OptionsSpec>(
  spec: CommandSpec<O>,
  run: (args: { options: ParsedOptions<O>; positionals: string[] }, io: Io) => Promise<number>,
): Command {
  return {
    spec,
    async run(argv, io) {
      const { options, positionals, help } = parseCommand(spec, argv);
      if (help) {
        io.stdout.write(formatHelp(spec));
        return 0;
      }
      const limit = spec.positionals;
      if (limit && positionals.length > limit.max) {
        const takes = limit.max === 0 ? 'no arguments' : `at most ${limit.max} argument${limit.max === 1 ? '' : 's'}`;
        throw new UsageError(`${spec.name} takes ${takes} (got "${positionals[limit.max]}"); ${limit.hint}`);
      }
      return run({ options, positionals }, io);
    },
  };
}

export function parseCommand<O extends OptionsSpec>(
  spec: CommandSpec<O>,
  argv: readonly string[],
): { options: ParsedOptions<O>; positionals: string[]; help: boolean } {
  const options = { ...spec.options, help: { type: 'boolean', short: 'h', description: 'Show this help.' } } as OptionsSpec;
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
          name,
          { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
    const { help, ...values } = parsed.values as Record<string, unknown>;
    return { options: values as ParsedOptions<O>, positionals: parsed.positionals, help: help === true };
  } catch (error) {
    // parseArgs messages are good ("Unknown option '--frmat'"); add where to look.
    throw new UsageError(`${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}\nRun \`prodeng ${spec.name} --help\` for its options.`);
  }
}

export function formatHelp<O extends OptionsSpec>(spec: CommandSpec<O>): string {
  const rows = Object.entries({ ...spec.options, help: { type: 'boolean', short: 'h', description: 'Show this help.' } as OptionSpec }).map(
    ([name, option]) => {
      const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''}`;
      return [flag, `${option.description}${option.multiple ? ' (repeatable)' : ''}`] as const;
    },
  );
  const width = Math.min(34, Math.max(...rows.map(([flag]) => flag.length)) + 2);
  const lines = [`Usage: ${spec.usage}`, '', spec.summary, '', 'Options:'];
  for (const [flag, description] of rows) lines.push(`  ${flag.padEnd(width)}${description}`);
  if (spec.details) lines.push('', spec.details.trim());
  return `${lines.join('\n')}\n`;
}

/** Parses a choice, with the allowed values in the error. */
export function choice<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
}

export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive whole number (got "${value}")`);
  return n;
}
