/**
 * The errors the store throws on purpose. Every backend failure a user can act on (a corrupted
 * file, a full disk, an unreachable server, …) becomes a {@link StoreError} whose message says what
 * happened, where (the database path or the URL with its password redacted) and what to do. The CLI
 * prints the message as it is and picks an exit code from `code`.
 *
 * Anything else (a programming error, invalid input) is rethrown untouched.
 */

export const STORE_ERROR_CODES = [
  /** The file is not a prodeng database, or it is damaged. */
  'corrupt',
  /** The database cannot be reached: server down, wrong host/port/database, authentication, unopenable file. */
  'unreachable',
  /** The disk (or a configured size limit) is full. */
  'full',
  /** Another process holds the database longer than the busy timeout. */
  'locked',
  /** The database can be read but not written. */
  'readonly',
  /** A schema migration failed. */
  'migration',
  /** A snapshot reference (id, prefix, `~N`) or system matches nothing. */
  'not-found',
  /** A snapshot reference (prefix, or `~N` without a system) matches several candidates. */
  'ambiguous',
  /** The database was migrated by a newer prodeng than this one. */
  'newer-schema',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}

/** The message of any thrown value, for embedding in a StoreError's message. */
export function describeCause(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
