/**
 * The contract every output format implements. Reporters are pure: the same report and options
 * always give the same text (the clock comes in through `now`, colour through `color`).
 */
import type { Report } from '../core/model.js';

export const REPORT_FORMATS = ['table', 'json', 'markdown', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** ANSI colour (table only). The CLI decides: TTY, `NO_COLOR`, `FORCE_COLOR`, `--no-color`. */
  color: boolean;
  /** The clock ages are measured against (tests pin it). */
  now: Date;
  /** Rows of the backlog in table and markdown output; default {@link DEFAULT_LIMIT}. */
  limit?: number;
  /** Columns the table must fit; default {@link DEFAULT_TERMINAL_WIDTH}. */
  terminalWidth?: number;
}

export interface Reporter {
  /** The whole document, ending with a newline. */
  render(report: Report, options: RenderOptions): string;
}

export const DEFAULT_LIMIT = 30;
export const DEFAULT_TERMINAL_WIDTH = 100;

/** A usable row limit: non-negative integer, the default when absent or nonsense. */
export function resolveLimit(options: RenderOptions): number {
  const limit = options.limit;
  return limit === undefined || !Number.isFinite(limit) || limit < 0 ? DEFAULT_LIMIT : Math.floor(limit);
}
