/**
 * Validators for the SBOM tests: CycloneDX 1.6 against the official schema shipped in
 * @cyclonedx/cyclonedx-library (with the SPDX licence-id, JSF and cryptography schemas it refers
 * to), SPDX 2.3 against the official spdx-spec schema kept in test/data/spdx (see its README).
 * Both are draft-07.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FormatsPlugin } from 'ajv-formats';

// ajv-formats is CommonJS whose typings describe `exports.default`; require() sidesteps the
// ESM/CJS default-import mismatch.
const require = createRequire(import.meta.url);
const addFormats = require('ajv-formats') as FormatsPlugin;

function readJson(url: URL): Record<string, unknown> {
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

const CDX_DIR = new URL('res/schema/', pathToFileURL(require.resolve('@cyclonedx/cyclonedx-library/package.json')));

let cycloneDx: ValidateFunction | undefined;
let spdx: ValidateFunction | undefined;

export function validateCycloneDx(document: unknown): ErrorObject[] {
  if (cycloneDx === undefined) {
    // strict: false — the official schema uses keywords (`meta:enum`, …) that ajv's strict mode rejects.
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    // bom-1.6 refers to them by file name relative to its own $id (http://cyclonedx.org/schema/…);
    // the snapshots carry the released names as $id, so they are added under the referenced ones.
    for (const [file, id] of [
      ['spdx.SNAPSHOT.schema.json', 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json'],
      ['jsf-0.82.SNAPSHOT.schema.json', 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json'],
      ['cryptography-defs.SNAPSHOT.schema.json', 'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json'],
    ] as const) {
      ajv.addSchema({ ...readJson(new URL(file, CDX_DIR)), $id: id });
    }
    cycloneDx = ajv.compile(readJson(new URL('bom-1.6.SNAPSHOT.schema.json', CDX_DIR)));
  }
  return cycloneDx(document) ? [] : [...(cycloneDx.errors ?? [])];
}

export function validateSpdx(document: unknown): ErrorObject[] {
  if (spdx === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    spdx = ajv.compile(readJson(new URL('../../../test/data/spdx/spdx-schema-2.3.json', import.meta.url)));
  }
  return spdx(document) ? [] : [...(spdx.errors ?? [])];
}

/** SPDX 2.3 §3.2 / §7.2: `SPDXRef-` and letters, digits, `.` and `-` (the 2.3.0 schema has no pattern). */
export const SPDX_ID = /^SPDXRef-[A-Za-z0-9.-]+$/;

/** The SPDX 2.3 §6.4 creation date format (the 2.3.0 schema has no pattern either). */
export const SPDX_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;
