/**
 * Snapshot ids: 26 characters of Crockford base32, ULID-like — 10 characters of milliseconds since
 * the epoch, then 16 random ones. Sorting ids as plain strings sorts them by time, on SQLite and on
 * PostgreSQL alike, and ids made by different processes never collide in practice (80 random bits).
 *
 * Because the first characters encode the time, short prefixes of ids made close together are
 * alike: the CLI should show at least 10–12 characters, and `resolveSnapshotRef` lists candidates
 * when a prefix is ambiguous.
 */
import { randomBytes } from 'node:crypto';

export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SNAPSHOT_ID_LENGTH = 26;
const TIME_LENGTH = 10;
const RANDOM_LENGTH = 16;
const MAX_TIME = 2 ** 48 - 1;

/** Matches a full id or a prefix of one (uppercase; callers uppercase user input first). */
export const SNAPSHOT_ID_CHARS = /^[0-9A-HJKMNP-TV-Z]+$/;

let lastTime = -1;
let lastRandom: number[] = [];

function encodeTime(time: number): string {
  let out = '';
  let rest = time;
  for (let i = 0; i < TIME_LENGTH; i++) {
    out = CROCKFORD_ALPHABET.charAt(rest % 32) + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function randomDigits(): number[] {
  const bytes = randomBytes(RANDOM_LENGTH);
  return Array.from(bytes, (byte) => byte % 32);
}

/** Increments a base-32 digit array in place; false when it overflowed. */
function increment(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    const digit = digits[i] ?? 0;
    if (digit < 31) {
      digits[i] = digit + 1;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}

/**
 * A new id whose time part is `time` (milliseconds since the epoch; defaults to now). Within one
 * process, ids made in the same millisecond are strictly increasing, so a burst of snapshots keeps
 * its order.
 */
export function newSnapshotId(time: number = Date.now()): string {
  const clamped = Math.min(Math.max(0, Math.floor(time)), MAX_TIME);
  if (clamped === lastTime && increment(lastRandom)) {
    // same millisecond: the incremented random part keeps the order
  } else {
    lastTime = clamped;
    lastRandom = randomDigits();
  }
  return encodeTime(clamped) + lastRandom.map((digit) => CROCKFORD_ALPHABET.charAt(digit)).join('');
}

/**
 * The smallest string that sorts at or after every id made at or after `time` and before every id
 * made earlier: `id >= snapshotIdFloor(t)` selects snapshots started at or after `t` by id alone.
 */
export function snapshotIdFloor(time: number): string {
  return encodeTime(Math.min(Math.max(0, Math.floor(time)), MAX_TIME));
}

/** The time encoded in an id (milliseconds since the epoch), or null when it is not an id. */
export function snapshotIdTime(id: string): number | null {
  if (id.length !== SNAPSHOT_ID_LENGTH || !SNAPSHOT_ID_CHARS.test(id)) return null;
  let time = 0;
  for (const char of id.slice(0, TIME_LENGTH)) time = time * 32 + CROCKFORD_ALPHABET.indexOf(char);
  return time;
}
