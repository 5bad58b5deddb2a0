/**
 * Configuration errors, apart from the loader so the CLI entry point can recognise them without
 * loading the YAML parser and the schemas.
 */

export interface ConfigIssue {
  file: string;
  line?: number;
  column?: number;
  /** Dotted key path such as `systems[0].repo`; empty for the document itself. */
  key: string;
  message: string;
}

export class ConfigError extends Error {
  readonly code = 'config';
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatIssue(issue: ConfigIssue): string {
  const where = [issue.file, issue.line, issue.column].filter((part) => part !== undefined).join(':');
  return `${where}: ${issue.key ? `${issue.key}: ` : ''}${issue.message}`;
}
