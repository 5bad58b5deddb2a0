/**
 * `prodeng changepoints [FILE|-]`: the change points of one series given as a JSON array of numbers
 * or one numeric CSV column, found with the detector `observe` uses (E-Divisive means, see
 * src/analysis/changepoints/readme.md) and its defaults. Nothing is read from or written to the
 * store: this is the detector on its own, for a series that lives elsewhere (a benchmark's history,
 * an export from a dashboard).
 *
 * `--format json` prints exactly `{"changePoints":[indices]}` — the contract scripts rely on; the
 * segment means and p-values are for people, in `--format table`.
 */
import { CHANGEPOINT_DEFAULTS, detectChangePoints, type ChangePointOptions, type ChangePointResult } from '../analysis/changepoints/edivisive.js';
import { changepointsOutput, readSeries, SeriesInputError } from '../analysis/changepoints/input.js';
import { escapeControls } from '../report/escape.js';
import { choice, defineCommand, positiveInt, UsageError, type CommandSpec, type OptionsSpec } from './args.js';
import { writeOutput } from './output.js';

export const changepointsSpec = {
  name: 'changepoints',
  summary: 'Find the points where the mean of a series shifts for good (E-Divisive means with a permutation test). Reads a JSON array of numbers or one numeric CSV column.',
  usage: 'prodeng changepoints [FILE|-] [--format json|table] [options]',
  details: `Input: FILE, or standard input when FILE is - or absent (and stdin is not a terminal).
  JSON   an array of numbers: [12.1, 12.4, 19.0]
  CSV    one column, one value per line; a first line that is not a number is a header
Output (--format json, the default): {"changePoints":[indices]} — 0-based indices into the values
as read, each the first point of a new segment; [] when the mean never shifts (also for a series
shorter than twice --min-segment). --format table adds each segment's means and p-values.

Defaults (those of \`observe\`): --p-value ${CHANGEPOINT_DEFAULTS.pValue}, --permutations ${CHANGEPOINT_DEFAULTS.permutations}, --min-segment ${CHANGEPOINT_DEFAULTS.minSegment}, --seed ${CHANGEPOINT_DEFAULTS.seed},
--seasonality auto. The same input and options always give the same answer (seeded permutations).
Method, defaults and limits: src/analysis/changepoints/readme.md.

Exit codes: 0 ok (with or without change points) · 2 usage or input error (the message names the
file and line) · 4 output could not be written · 130 interrupted.`,
  options: {
    format: { type: 'string', value: 'FORMAT', description: 'json (default) or table.' },
    'p-value': { type: 'string', value: 'P', description: `Significance level of the permutation test and of the t-test of the means, between 0 and 1 (default ${CHANGEPOINT_DEFAULTS.pValue}).` },
    permutations: { type: 'string', value: 'N', description: `Shuffles in the permutation test (default ${CHANGEPOINT_DEFAULTS.permutations}); the smallest p-value it can show is 1/(N+1).` },
    'min-segment': { type: 'string', value: 'N', description: `Fewest points on either side of a change point, at least 2 (default ${CHANGEPOINT_DEFAULTS.minSegment}).` },
    seed: { type: 'string', value: 'N', description: `Seed of the permutations (default ${CHANGEPOINT_DEFAULTS.seed}).` },
    seasonality: { type: 'string', value: 'auto|none|N', description: 'Remove a periodic cycle first: auto (default: only a very clear one), none, or a known period N ≥ 2.' },
    output: { type: 'string', short: 'o', value: 'FILE', description: 'Write to FILE instead of stdout.' },
  },
  positionals: { max: 1, hint: 'give one series: a file, or - for standard input' },
} as const satisfies CommandSpec<OptionsSpec>;

/** Permutations beyond this buy no resolution a person could use and only cost time. */
const MAX_PERMUTATIONS = 100_000;

/** The detector's options from the command line, each checked here so a mistake names its flag. */
function detectorOptions(options: { 'p-value'?: string; permutations?: string; 'min-segment'?: string; seed?: string; seasonality?: string }): ChangePointOptions {
  const result: ChangePointOptions = {};
  if (options['p-value'] !== undefined) {
    const text = options['p-value'].trim();
    const p = text === '' ? NaN : Number(text);
    if (!(p > 0 && p < 1)) throw new UsageError(`--p-value must be a number between 0 and 1, exclusive, such as 0.01 (got "${options['p-value']}")`);
    result.pValue = p;
  }
  if (options.permutations !== undefined) {
    const n = positiveInt('permutations', options.permutations, CHANGEPOINT_DEFAULTS.permutations);
    if (n > MAX_PERMUTATIONS) throw new UsageError(`--permutations must be at most ${MAX_PERMUTATIONS.toLocaleString('en-US')} (got "${options.permutations}")`);
    result.permutations = n;
  }
  if (options['min-segment'] !== undefined) {
    const n = positiveInt('min-segment', options['min-segment'], CHANGEPOINT_DEFAULTS.minSegment);
    if (n < 2) throw new UsageError(`--min-segment must be at least 2: a t-test needs two points on each side (got "${options['min-segment']}")`);
    result.minSegment = n;
  }
  if (options.seed !== undefined) {
    const n = Number(options.seed);
    if (options.seed.trim() === '' || !Number.isSafeInteger(n)) throw new UsageError(`--seed must be a whole number (got "${options.seed}")`);
    result.seed = n;
  }
  if (options.seasonality !== undefined) {
    const value = options.seasonality;
    if (value === 'auto' || value === 'none') result.seasonality = value;
    else {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 2) throw new UsageError(`--seasonality must be auto, none or a period of at least 2 points (got "${value}")`);
      result.seasonality = n;
    }
  }
  return result;
}

export const changepointsCommand = defineCommand(changepointsSpec, async ({ options, positionals }, io) => {
  const format = choice('format', options.format, ['json', 'table'] as const, 'json');
  const detector = detectorOptions(options);
  const file = positionals[0];
  // Io carries no stdin (no other command reads one but `ingest ci -`); the process's is the one a
  // pipe feeds. Waiting on a terminal for input nobody knows to type would look like a hang.
  if (file === undefined && process.stdin.isTTY) {
    throw new UsageError('changepoints needs a series: give a FILE, or pipe one into standard input (`prodeng changepoints - < series.csv`)');
  }

  let series: number[];
  try {
    series = await readSeries(file, { cwd: io.cwd });
  } catch (error) {
    // Input the detector cannot use is the user's to fix, like a bad option: exit 2.
    if (error instanceof SeriesInputError) throw new UsageError(escapeControls(error.message));
    throw error;
  }
  const result = detectChangePoints(series, detector);
  const text = format === 'json' ? `${JSON.stringify(changepointsOutput(result))}\n` : table(result, series.length, file === undefined || file === '-' ? 'stdin' : file, detector.minSegment ?? CHANGEPOINT_DEFAULTS.minSegment);
  writeOutput(text, options.output, io);
  return 0;
});

/** Five significant digits, without exponent noise for ordinary magnitudes. */
function number(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return String(Number(value.toPrecision(5)));
}

function percent(relative: number | null): string {
  if (relative === null) return '–';
  const value = relative * 100;
  const text = Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
  return `${value > 0 ? '+' : ''}${text} %`;
}

/** p-values: three significant digits, and "<0.01"-style floors where the permutation test stops. */
function pValue(value: number): string {
  if (value === 0) return '0';
  if (value < 1e-4) return value.toExponential(1);
  return String(Number(value.toPrecision(3)));
}

function table(result: ChangePointResult, points: number, source: string, minSegment: number): string {
  const count = result.changePoints.length;
  const lines = [
    `${escapeControls(source)}: ${points} point${points === 1 ? '' : 's'}, ${count} change point${count === 1 ? '' : 's'}${result.seasonalPeriod === null ? '' : ` (a cycle of ${result.seasonalPeriod} points removed first)`}`,
  ];
  if (count === 0) {
    if (points < 2 * minSegment) lines.push(`(too few points to split: each side of a change needs at least ${minSegment}, --min-segment)`);
    return `${lines.join('\n')}\n`;
  }
  const head = ['INDEX', 'MEAN BEFORE', 'MEAN AFTER', 'CHANGE', 'P (SPLIT)', 'P (MEANS)'];
  const rows = result.details.map((d) => [String(d.index), number(d.meanBefore), number(d.meanAfter), percent(d.relativeChange), pValue(d.pValue), pValue(d.meanPValue)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
  lines.push('', line(head), ...rows.map(line));
  return `${lines.join('\n')}\n`;
}
