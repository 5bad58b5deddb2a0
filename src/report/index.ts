/**
 * The report layer: ranking (docs/priority.md) and the output formats. The CLI picks a reporter by
 * `--format` from {@link reporters}; everything else here is for programmatic use and tests.
 */
import { jsonReporter } from './json.js';
import { markdownReporter } from './markdown.js';
import type { ReportFormat, Reporter } from './reporter.js';
import { sarifReporter } from './sarif.js';
import { tableReporter } from './table.js';

export type { RenderOptions, ReportFormat, Reporter } from './reporter.js';
export { DEFAULT_LIMIT, DEFAULT_TERMINAL_WIDTH, REPORT_FORMATS } from './reporter.js';
export { priority, rankFindings, compareRanked } from './priority.js';
export type { UnrankedFinding } from './priority.js';
export { toJsonReport } from './json.js';
export type { JsonReport } from './json.js';
export { toSarifLog } from './sarif.js';
export { stringWidth } from './string-width.js';
export { escapeControls } from './escape.js';

export const reporters = {
  table: tableReporter,
  json: jsonReporter,
  markdown: markdownReporter,
  sarif: sarifReporter,
} satisfies Record<ReportFormat, Reporter>;

/** True when `value` names a format, for validating `--format`. */
export function isReportFormat(value: string): value is ReportFormat {
  return Object.hasOwn(reporters, value);
}
