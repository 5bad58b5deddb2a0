/** The OSV fixtures of src/osv/fixtures, parsed. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOsv, type OsvRecord } from '../schema.js';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export function fixtureIds(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

export function fixtureText(id: string): string {
  return readFileSync(join(FIXTURES_DIR, `${id}.json`), 'utf8');
}

export function fixture(id: string): OsvRecord {
  const parsed = parseOsv(JSON.parse(fixtureText(id)));
  if (!parsed.ok) throw new Error(`fixture ${id}: ${parsed.reason}`);
  return parsed.record;
}

/** A minimal valid record with the given affected entries. */
export function record(id: string, affected: OsvRecord['affected'], extra: Partial<OsvRecord> = {}): OsvRecord {
  return { id, modified: '2024-01-01T00:00:00Z', affected, ...extra };
}
