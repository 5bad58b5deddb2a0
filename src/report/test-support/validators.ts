/**
 * Schema validators for the reporter tests: the JSON report against schemas/report.v1.json (draft
 * 2020-12) and SARIF output against the official SARIF 2.1.0 schema (draft-04).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { FormatsPlugin } from 'ajv-formats';

// ajv-formats and ajv-draft-04 are CommonJS whose typings describe `exports.default`; require()
// sidesteps the ESM/CJS default-import mismatch.
const require = createRequire(import.meta.url);
const addFormats = require('ajv-formats') as FormatsPlugin;
const AjvDraft04 = require('ajv-draft-04') as typeof Ajv2020;

function readJson(url: URL): object {
  return JSON.parse(readFileSync(url, 'utf8')) as object;
}

export const reportSchema = readJson(new URL('../../../schemas/report.v1.json', import.meta.url));

let reportValidator: ValidateFunction | undefined;
let sarifValidator: ValidateFunction | undefined;

export function validateReport(document: unknown): ErrorObject[] {
  if (reportValidator === undefined) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    reportValidator = ajv.compile(reportSchema);
  }
  return reportValidator(document) ? [] : [...(reportValidator.errors ?? [])];
}

export function validateSarif(document: unknown): ErrorObject[] {
  if (sarifValidator === undefined) {
    const packageJson = pathToFileURL(require.resolve('@microsoft/jest-sarif/package.json'));
    const schema = readJson(new URL('lib/schemas/sarif-2.1.0-rtm.5.json', packageJson));
    // strict: false — the official schema uses keywords ajv's strict mode rejects; unicodeRegExp:
    // false — its `language` pattern (`^[a-zA-Z]{2}|…]?$`) is not a valid regular expression with
    // the `u` flag.
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    sarifValidator = ajv.compile(schema);
  }
  return sarifValidator(document) ? [] : [...(sarifValidator.errors ?? [])];
}
