/**
 * {@link scanEndpoint}: what one TLS endpoint accepts — protocols, cipher suites and the server's
 * order, named groups, features, certificate chain — found with raw ClientHello probes (see
 * readme.md for the strategy) plus a few full handshakes with Node's TLS client.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { SecureVersion } from 'node:tls';
import { randomBytes } from 'node:crypto';
import type { CertificateInfo, CipherResult, GroupResult, ProtocolName, TlsFeatures, TlsScan, TlsTarget } from '../model.js';
import { PROTOCOLS } from '../model.js';
import { cipherByValue, cipherTable, formatCode, groupByCode, groupTable } from '../data/index.js';
import { certificateInfo } from './certificate.js';
import { buildClientHello, buildSslv2ClientHello, type ClientHelloOptions, SCSV, SIGNATURE_ALGORITHMS } from './client-hello.js';
import { describeOutcome, Limiter, type ProbeOutcome, runProbe } from './connection.js';
import { nodeHandshake, type NodeHandshakeResult } from './node-handshake.js';
import { Version } from './records.js';
import { parseCertificateMessage, parseCertificateStatus, parseServerKeyExchange } from './server-messages.js';

export interface ScanOptions {
  /** Per connection: connect, send, answer (ms). Default 5000. */
  timeoutMs?: number;
  /** Aborts the whole scan; the result then has what was learned and an `aborted` error. */
  signal?: AbortSignal;
  /** Connections open at once to this endpoint. Default 6. */
  maxConnections?: number;
  /**
   * Accepted for the probe's interface; the scanner does not judge trust (the policy does, from
   * the PEMs in `chain`), so it does not read the file.
   */
  caFile?: string;
  /** Shares a connection limit across scans of the same host (see {@link scanEndpoints}). */
  limiter?: Limiter;
  /** The scan's clock for `daysLeft` (tests). */
  now?: Date;
  /** Called after each connection (raw probe or Node handshake): for tests, benchmarks and debugging. */
  trace?: (event: ScanTraceEvent) => void;
}

export interface ScanTraceEvent {
  kind: 'probe' | 'node';
  /** The outcome (`hello`, `alert`, `timeout`…; `ok` or the error for Node handshakes). */
  outcome: string;
  /** Duration of this connection. */
  ms: number;
  /** Since the scan started. */
  at: number;
  /** Connections of this scan open when it ended (itself included). */
  open: number;
}

export const DEFAULT_TIMEOUT_MS = 5000;
const ABORTED = 'scan aborted before it finished';
export const DEFAULT_MAX_CONNECTIONS = 6;

type LegacyProtocol = 'SSLv3' | 'TLSv1.0' | 'TLSv1.1' | 'TLSv1.2';
const LEGACY: readonly LegacyProtocol[] = ['TLSv1.2', 'TLSv1.1', 'TLSv1.0', 'SSLv3'];
const WIRE: Record<ProtocolName, number> = {
  SSLv2: Version.SSLv2,
  SSLv3: Version.SSLv3,
  'TLSv1.0': Version.TLSv1_0,
  'TLSv1.1': Version.TLSv1_1,
  'TLSv1.2': Version.TLSv1_2,
  'TLSv1.3': Version.TLSv1_3,
};

function protocolOf(version: number): ProtocolName | null {
  return PROTOCOLS.find((name) => WIRE[name] === version) ?? null;
}

const X25519 = 0x001d;

// ---------------------------------------------------------------------------------------------
// What is offered, from the bundled tables.

interface Offer {
  tls13: number[];
  /** Per legacy protocol, the suites that exist in it (2-byte code points, table order). */
  legacy: Record<LegacyProtocol, number[]>;
  sslv2: number[];
  /** Every named group but 0. */
  groups13: number[];
  /** Groups a TLS ≤ 1.2 server can name in ServerKeyExchange (elliptic curves). */
  curves12: number[];
  /** supported_groups of the ≤ 1.2 hellos. */
  groups12: number[];
  /** ECDHE suites per legacy protocol. */
  ecdhe: Record<LegacyProtocol, number[]>;
}

let offer: Offer | null = null;

function offers(): Offer {
  if (offer) return offer;
  const ciphers = cipherTable().ciphers;
  const tls = ciphers.filter((cipher) => cipher.protocol !== 'SSLv2' && cipher.value <= 0xffff && cipher.value !== 0);
  const upTo = (levels: string[]) => tls.filter((cipher) => levels.includes(cipher.protocol)).map((cipher) => cipher.value);
  const v12 = upTo(['SSLv3', 'TLSv1', 'TLSv1.2']);
  const v10 = upTo(['SSLv3', 'TLSv1']);
  const ecdheOf = (values: number[]) => values.filter((value) => cipherByValue(value)?.kx === 'ECDH');
  const groups = groupTable().groups.filter((group) => group.value !== 0);
  // Common groups first: a server that follows the client's order then picks a usual one.
  const common = [X25519, 0x0017, 0x0018, 0x0019, 0x001e, 0x11ec];
  const sorted = [...common.filter((value) => groups.some((group) => group.value === value)), ...groups.map((group) => group.value).filter((value) => !common.includes(value))];
  const curves12 = sorted.filter((value) => value < 0x0100 && !(value >= 0x001f && value <= 0x0021));
  offer = {
    tls13: tls.filter((cipher) => cipher.protocol === 'TLSv1.3').map((cipher) => cipher.value),
    legacy: { 'TLSv1.2': v12, 'TLSv1.1': v10, 'TLSv1.0': v10, SSLv3: v10 },
    sslv2: ciphers.filter((cipher) => cipher.protocol === 'SSLv2').map((cipher) => cipher.value),
    groups13: sorted,
    curves12,
    groups12: sorted.filter((value) => value < 0x0200),
    ecdhe: { 'TLSv1.2': ecdheOf(v12), 'TLSv1.1': ecdheOf(v10), 'TLSv1.0': ecdheOf(v10), SSLv3: ecdheOf(v10) },
  };
  return offer;
}

// ---------------------------------------------------------------------------------------------
// The scan context: where to connect, limits, errors.

interface Context {
  ip: string;
  port: number;
  sni: string | null;
  timeoutMs: number;
  limiter: Limiter;
  /** Aborted by the caller's signal, or when the endpoint is found dead. */
  controller: AbortController;
  errors: string[];
  /** TLS 1.3 servers answer an empty key_share with a HelloRetryRequest (cheap for them). */
  emptyKeyShare: boolean;
  started: number;
  open: number;
  trace: ((event: ScanTraceEvent) => void) | undefined;
}

async function traced<T>(ctx: Context, kind: 'probe' | 'node', run: () => Promise<T>, outcome: (result: T) => string): Promise<T> {
  ctx.open++;
  const started = performance.now();
  try {
    const result = await run();
    ctx.trace?.({ kind, outcome: outcome(result), ms: Math.round((performance.now() - started) * 10) / 10, at: Math.round(performance.now() - ctx.started), open: ctx.open });
    return result;
  } finally {
    ctx.open--;
  }
}

function note(ctx: Context, message: string): void {
  if (!ctx.errors.includes(message)) ctx.errors.push(message);
}

function probe(ctx: Context, hello: Uint8Array, read: 'server-hello' | 'flight' = 'server-hello', sslv2 = false): Promise<ProbeOutcome> {
  return ctx.limiter.run(async () => {
    if (ctx.controller.signal.aborted) return { kind: 'aborted', ms: 0 } as ProbeOutcome;
    return traced(ctx, 'probe', () => runProbe({ host: ctx.ip, port: ctx.port, hello, timeoutMs: ctx.timeoutMs, signal: ctx.controller.signal, read, sslv2 }), (outcome) => outcome.kind);
  });
}

function legacyHello(ctx: Context, protocol: LegacyProtocol, ciphers: readonly number[], extra: Partial<ClientHelloOptions> = {}): Buffer {
  const version = WIRE[protocol];
  if (protocol === 'SSLv3') {
    // OpenSSL-era SSLv3 clients send no extensions; secure renegotiation is signalled by SCSV.
    return buildClientHello({ version, recordVersion: Version.SSLv3, ciphers: [...ciphers, SCSV.EmptyRenegotiationInfo], compression: [1, 0], noExtensions: true, ...extra });
  }
  return buildClientHello({
    version,
    ciphers,
    compression: [1, 0],
    serverName: ctx.sni,
    groups: offers().groups12,
    signatureAlgorithms: protocol === 'TLSv1.2' ? SIGNATURE_ALGORITHMS : undefined,
    renegotiationInfo: true,
    sessionTicket: true,
    statusRequest: true,
    extendedMasterSecret: true,
    padding: true,
    ...extra,
  });
}

function tls13Hello(ctx: Context, ciphers: readonly number[], groups: readonly number[], keyShares: readonly number[]): Buffer {
  return buildClientHello({
    version: Version.TLSv1_2,
    ciphers,
    sessionId: randomBytes(32),
    serverName: ctx.sni,
    groups,
    signatureAlgorithms: SIGNATURE_ALGORITHMS,
    supportedVersions: [Version.TLSv1_3],
    keyShares,
    padding: true,
  });
}

/** The key shares to send with `groups` in a TLS 1.3 probe. */
function sharesFor(ctx: Context, groups: readonly number[]): number[] {
  if (ctx.emptyKeyShare) return [];
  return groups.includes(X25519) ? [X25519] : groups.slice(0, 1);
}

/** Splits into `count` interleaved chunks (accepted suites cluster in the table; spread them). */
function interleave<T>(items: readonly T[], count: number): T[][] {
  const chunks: T[][] = Array.from({ length: Math.max(1, Math.min(count, items.length)) }, () => []);
  items.forEach((item, index) => chunks[index % chunks.length]!.push(item));
  return chunks.filter((chunk) => chunk.length > 0);
}

function isTlsAnswer(outcome: ProbeOutcome): boolean {
  return outcome.kind === 'hello' || outcome.kind === 'alert' || outcome.kind === 'sslv2';
}

function isUnreachable(outcome: ProbeOutcome): boolean {
  return outcome.kind === 'timeout' || outcome.kind === 'connect-error' || outcome.kind === 'garbage';
}

/**
 * A failure that may come from the hello's size rather than from its content. (Not a timeout:
 * splitting a list that timed out would multiply the waits.)
 */
function isChoke(outcome: ProbeOutcome): boolean {
  return outcome.kind === 'closed' || outcome.kind === 'reset';
}

// ---------------------------------------------------------------------------------------------
// Protocols.

/**
 * The first hello of each protocol, sent at once. Retries (shorter lists, a plainer TLS 1.3
 * hello) wait for all of them, and happen only if the endpoint gave any TLS answer: a peer that
 * resets or closes every connection is not probed again and again. When TLS 1.3 and 1.2 both
 * find nothing listening (timeout, refused, not TLS), the scan stops there.
 */
class FirstRound {
  private readonly outcomes = new Map<string, ProbeOutcome>();
  private release!: (retry: boolean) => void;
  /** Resolves once every first hello is answered: true when retries make sense. */
  readonly gate = new Promise<boolean>((resolve) => (this.release = resolve));

  constructor(
    private readonly expected: number,
    private readonly controller: AbortController,
  ) {}

  report(name: string, outcome: ProbeOutcome): void {
    this.outcomes.set(name, outcome);
    const t13 = this.outcomes.get('TLSv1.3');
    const t12 = this.outcomes.get('TLSv1.2');
    if (t13 && t12 && isUnreachable(t13) && isUnreachable(t12)) this.controller.abort();
    if (this.outcomes.size === this.expected) this.release([...this.outcomes.values()].some(isTlsAnswer));
  }
}

interface LegacyFinding {
  protocol: LegacyProtocol;
  supported: boolean;
  /** The suite chosen from the whole list (server's first choice when it orders). */
  chosen: number | null;
  outcome: ProbeOutcome | null;
}

async function detectLegacy(ctx: Context, protocol: LegacyProtocol, learned: Map<LegacyProtocol, ProbeOutcome>, round: FirstRound): Promise<LegacyFinding> {
  const version = WIRE[protocol];
  const suites = offers().legacy[protocol];
  const ask = (list: readonly number[]) => probe(ctx, legacyHello(ctx, protocol, list), 'flight');
  /** true: accepted; false: refused for good (protocol_version, a lower version); null: unclear. */
  const verdict = (outcome: ProbeOutcome): boolean | null => {
    if (outcome.kind === 'hello') {
      const selected = outcome.hello.selectedVersion;
      if (selected === version && !outcome.hello.isHelloRetryRequest) return true;
      const lower = protocolOf(selected);
      if (lower && selected < version && (LEGACY as readonly string[]).includes(lower)) learned.set(lower as LegacyProtocol, outcome);
      if (selected > version) note(ctx, `${protocol}: the server answered with ${protocolOf(selected) ?? selected} to a ${protocol} hello`);
      return false;
    }
    if (outcome.kind === 'alert' && outcome.alert.description === 70) return false;
    return null;
  };
  const found = (outcome: ProbeOutcome): LegacyFinding => ({ protocol, supported: true, chosen: outcome.kind === 'hello' ? outcome.hello.cipherSuite : null, outcome });
  const first = await ask(suites);
  round.report(protocol, first);
  const answer = verdict(first);
  if (answer !== null || first.kind === 'aborted' || first.kind === 'garbage' || first.kind === 'connect-error' || first.kind === 'timeout') {
    return answer === true ? found(first) : { protocol, supported: false, chosen: null, outcome: first };
  }
  if (!(await round.gate)) return { protocol, supported: false, chosen: null, outcome: first };
  // Refusing the whole list (an alert, a reset) may be choking on its length: ask again with
  // shorter lists, shorter still while the server keeps dropping the connection.
  const search = async (list: readonly number[], parts: number): Promise<ProbeOutcome | null> => {
    const outcomes = await Promise.all(
      interleave(list, parts).map(async (chunk) => {
        const outcome = await ask(chunk);
        if (verdict(outcome) === true) return outcome;
        if (isChoke(outcome) && chunk.length > 16) return search(chunk, 2);
        return null;
      }),
    );
    return outcomes.find((outcome) => outcome !== null) ?? null;
  };
  const retry = await search(suites, 4);
  return retry ? found(retry) : { protocol, supported: false, chosen: null, outcome: first };
}

interface Tls13Finding {
  supported: boolean;
  chosen: number | null;
  group: number | null;
  outcome: ProbeOutcome | null;
}

async function detectTls13(ctx: Context, round: FirstRound): Promise<Tls13Finding> {
  const { tls13, groups13 } = offers();
  const accept = (outcome: ProbeOutcome): Tls13Finding | null =>
    outcome.kind === 'hello' && outcome.hello.selectedVersion === Version.TLSv1_3
      ? { supported: true, chosen: outcome.hello.cipherSuite, group: outcome.hello.keyShareGroup, outcome }
      : null;
  // An empty key_share asks for a HelloRetryRequest: the server names its group and suite without
  // computing a key exchange or signing anything.
  const first = await probe(ctx, tls13Hello(ctx, tls13, groups13, []));
  round.report('TLSv1.3', first);
  const found = accept(first);
  if (found) return found;
  if (first.kind === 'aborted' || first.kind === 'garbage' || first.kind === 'connect-error' || first.kind === 'timeout') return { supported: false, chosen: null, group: null, outcome: first };
  if (first.kind === 'alert' && first.alert.description === 70) return { supported: false, chosen: null, group: null, outcome: first };
  // Not every server takes an empty key_share: a plain browser-like hello with an X25519 share.
  if (!(await round.gate)) return { supported: false, chosen: null, group: null, outcome: first };
  const second = await probe(ctx, tls13Hello(ctx, [0x1301, 0x1302, 0x1303], [X25519, 0x0017, 0x0018], [X25519]));
  const again = accept(second);
  if (again) {
    ctx.emptyKeyShare = false;
    return again;
  }
  return { supported: false, chosen: null, group: null, outcome: first };
}

// ---------------------------------------------------------------------------------------------
// Cipher suites: offer many, remove the chosen one, repeat — in parallel over interleaved chunks.

type SuiteProbe = (suites: readonly number[]) => Promise<ProbeOutcome>;

async function enumerate(ctx: Context, label: string, candidates: readonly number[], ask: SuiteProbe, pick: (outcome: ProbeOutcome) => number | null, chunks: number): Promise<number[]> {
  const found: number[] = [];
  const untested: string[] = [];
  const walk = async (chunk: number[]): Promise<void> => {
    let remaining = [...chunk];
    for (let guard = chunk.length + 1; guard > 0 && remaining.length > 0; guard--) {
      const outcome = await ask(remaining);
      const chosen = pick(outcome);
      if (chosen !== null) {
        if (!remaining.includes(chosen)) {
          note(ctx, `${label}: the server chose ${formatCode(chosen)}, which was not offered`);
          return;
        }
        found.push(chosen);
        remaining = remaining.filter((value) => value !== chosen);
        continue;
      }
      if (outcome.kind === 'aborted') return;
      if (isChoke(outcome) && remaining.length > 16) {
        // Maybe the list was too long for this server: halve it.
        const half = Math.ceil(remaining.length / 2);
        await Promise.all([walk(remaining.slice(0, half)), walk(remaining.slice(half))]);
        return;
      }
      if (outcome.kind === 'reset' || outcome.kind === 'timeout' || outcome.kind === 'garbage') {
        untested.push(`${remaining.length} (${describeOutcome(outcome, ctx.timeoutMs)})`);
      }
      return;
    }
  };
  await Promise.all(interleave(candidates, chunks).map((chunk) => walk(chunk)));
  if (untested.length > 0) note(ctx, `${label}: some suites could not be tested: ${untested.join('; ')}`);
  return found;
}

function chosenSuite(version: number) {
  return (outcome: ProbeOutcome): number | null => (outcome.kind === 'hello' && outcome.hello.selectedVersion === version ? outcome.hello.cipherSuite : null);
}

/**
 * The server's order among `accepted`: offered forward and reversed (and rotated when those two
 * disagree in a way neither order explains). When the server orders, the full order comes from
 * offering what is left after each choice.
 */
async function preferenceOrder(ctx: Context, label: string, accepted: readonly number[], ask: SuiteProbe, pick: (outcome: ProbeOutcome) => number | null): Promise<{ serverOrder: boolean | null; ordered: number[] }> {
  const tableIndex = (value: number) => {
    const index = cipherTable().ciphers.findIndex((cipher) => cipher.value === value && cipher.protocol !== 'SSLv2');
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  const forward = [...accepted].sort((a, b) => tableIndex(a) - tableIndex(b));
  if (forward.length < 2) return { serverOrder: null, ordered: forward };
  const reverse = [...forward].reverse();
  const [f, r] = (await Promise.all([ask(forward), ask(reverse)])).map(pick);
  if (f === null || f === undefined || r === null || r === undefined || !forward.includes(f) || !forward.includes(r)) {
    note(ctx, `${label}: the server's cipher order could not be determined`);
    return { serverOrder: null, ordered: forward };
  }
  let serverOrder: boolean;
  if (f === r) serverOrder = true;
  else if (f === forward[0] && r === reverse[0]) serverOrder = false;
  else {
    const shift = Math.ceil(forward.length / 2);
    const rotated = [...forward.slice(shift), ...forward.slice(0, shift)];
    const c = pick(await ask(rotated));
    serverOrder = c !== null && c !== rotated[0];
  }
  if (!serverOrder) return { serverOrder, ordered: [f, ...forward.filter((value) => value !== f)] };
  const ordered = [f];
  let remaining = forward.filter((value) => value !== f);
  while (remaining.length > 1) {
    const chosen = pick(await ask(remaining));
    if (chosen === null || !remaining.includes(chosen)) {
      note(ctx, `${label}: the server's full cipher order could not be determined`);
      return { serverOrder, ordered: [...ordered, ...remaining] };
    }
    ordered.push(chosen);
    remaining = remaining.filter((value) => value !== chosen);
  }
  return { serverOrder, ordered: [...ordered, ...remaining] };
}

// ---------------------------------------------------------------------------------------------
// Named groups.

async function groups13(ctx: Context, suites: readonly number[], known: number | null): Promise<number[]> {
  const candidates = offers().groups13.filter((group) => group !== known);
  const ask = (groups: readonly number[]) => probe(ctx, tls13Hello(ctx, suites, groups, sharesFor(ctx, groups)));
  const pick = (outcome: ProbeOutcome) => (outcome.kind === 'hello' && outcome.hello.selectedVersion === Version.TLSv1_3 ? outcome.hello.keyShareGroup : null);
  const found = await enumerate(ctx, 'TLSv1.3 groups', candidates, ask, pick, 3);
  return known === null ? found : [known, ...found];
}

async function groups12(ctx: Context, protocol: LegacyProtocol, ecdhe: readonly number[]): Promise<number[]> {
  const ask = (groups: readonly number[]) => probe(ctx, legacyHello(ctx, protocol, ecdhe, { groups }), 'flight');
  const pick = (outcome: ProbeOutcome): number | null => {
    if (outcome.kind !== 'hello' || outcome.hello.selectedVersion !== WIRE[protocol] || !outcome.flight.serverKeyExchange) return null;
    const kx = parseServerKeyExchange(outcome.flight.serverKeyExchange, 'ecdhe');
    return kx.ok ? kx.value.namedGroup : null;
  };
  return enumerate(ctx, `${protocol} groups`, offers().curves12, ask, pick, 3);
}

// ---------------------------------------------------------------------------------------------
// Results.

/**
 * A suite as the scan reports it, facts from the table. The `DH` key exchange of ephemeral DH
 * suites carries the measured size of the server's parameters when known: `DH(2048)`, the table's
 * own notation for export suites (`DH(512)`).
 */
function cipherResult(protocol: ProtocolName, value: number, preferred: boolean, dhBits: number | null = null): CipherResult {
  const sslv2 = protocol === 'SSLv2';
  const cipher = cipherByValue(value, sslv2);
  const code = formatCode(value, sslv2 ? 3 : 2);
  if (!cipher) return { protocol, code, name: `unknown ${code}`, preferred };
  const kx = cipher.kx === 'DH' && dhBits !== null ? `DH(${dhBits})` : cipher.kx;
  return { protocol, code, name: cipher.iana ?? cipher.openssl, preferred, kx, au: cipher.au, enc: cipher.enc, bits: cipher.bits, mac: cipher.mac };
}

/** Bits of the DH prime in the ServerKeyExchange of one of `suites` (accepted DHE suites). */
async function dhParameterBits(ctx: Context, protocol: LegacyProtocol, suites: readonly number[]): Promise<number | null> {
  const outcome = await probe(ctx, legacyHello(ctx, protocol, suites), 'flight');
  if (outcome.kind !== 'hello' || !outcome.flight.serverKeyExchange) return null;
  const kx = parseServerKeyExchange(outcome.flight.serverKeyExchange, 'dhe');
  return kx.ok && kx.value.dhBits !== null && kx.value.dhBits > 0 ? kx.value.dhBits : null;
}

function groupResult(value: number): GroupResult {
  return { code: formatCode(value), name: groupByCode(value)?.name ?? `unknown ${formatCode(value)}` };
}

function chainFrom(ders: readonly Uint8Array[], now: Date, ctx: Context, source: string): CertificateInfo[] {
  const out: CertificateInfo[] = [];
  for (const der of ders) {
    const info = certificateInfo(der, now);
    if (info.ok) out.push(info.value);
    else note(ctx, `${source}: ${info.error}`);
  }
  return out;
}

function emptyScan(target: TlsTarget, ip: string): TlsScan {
  return {
    target,
    ip,
    protocols: { SSLv2: false, SSLv3: false, 'TLSv1.0': false, 'TLSv1.1': false, 'TLSv1.2': false, 'TLSv1.3': false },
    ciphers: [],
    serverOrder: null,
    groups: [],
    features: {
      compression: null,
      secureRenegotiation: null,
      fallbackScsv: null,
      sessionIdResumption: null,
      sessionTicketResumption: null,
      alpn: [],
      ocspStapling: null,
    },
    chain: [],
    handshakeMs: null,
    scanMs: 0,
    errors: [],
  };
}

async function resolveAddress(host: string, timeoutMs: number, signal: AbortSignal): Promise<{ ip: string } | { error: string }> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return { ip: bare };
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no DNS answer within ${timeoutMs} ms`)), timeoutMs);
      onAbort = () => reject(new Error('aborted'));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    const addresses = await Promise.race([lookup(bare, { all: true }), timeout]);
    // IPv4 first: every probe goes to one address, and a name such as localhost that resolves to
    // ::1 first would otherwise miss a server bound to 127.0.0.1 only.
    const chosen = addresses.find((address) => address.family === 4) ?? addresses[0];
    if (!chosen) return { error: `cannot resolve ${bare}: no address` };
    return { ip: chosen.address };
  } catch (error) {
    return { error: `cannot resolve ${bare}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Scans one endpoint. Never rejects for a misbehaving peer: what could not be learned is left
 * false/null/empty and explained in `errors`.
 */
export async function scanEndpoint(target: TlsTarget, options: ScanOptions = {}): Promise<TlsScan> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? new Date();
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) controller.abort();
  const finish = (scan: TlsScan): TlsScan => {
    options.signal?.removeEventListener('abort', onAbort);
    if (options.signal?.aborted && !scan.errors.includes(ABORTED)) scan.errors.push(ABORTED);
    scan.scanMs = Math.round(performance.now() - started);
    return scan;
  };

  const resolved = await resolveAddress(target.host, timeoutMs, controller.signal);
  if ('error' in resolved) {
    const scan = emptyScan(target, '');
    scan.errors.push(resolved.error);
    return finish(scan);
  }
  const scan = emptyScan(target, resolved.ip);
  const ctx: Context = {
    ip: resolved.ip,
    port: target.port,
    sni: target.sni,
    timeoutMs,
    limiter: options.limiter ?? new Limiter(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS),
    controller,
    errors: scan.errors,
    emptyKeyShare: true,
    started,
    open: 0,
    trace: options.trace,
  };
  const where = `${target.host}:${target.port}`;

  // Phase 1: which protocols, each with one hello offering every suite it has. TLS 1.3 and 1.2
  // go first; when both find nothing listening, the rest is not tried.
  const learned = new Map<LegacyProtocol, ProbeOutcome>();
  const round = new FirstRound(2 + LEGACY.length, controller);
  const t13 = detectTls13(ctx, round);
  const legacyRuns = LEGACY.map((protocol) => detectLegacy(ctx, protocol, learned, round));
  const sslv2Run = probe(ctx, buildSslv2ClientHello(offers().sslv2), 'server-hello', true).then((outcome) => {
    round.report('SSLv2', outcome);
    return outcome;
  });

  const [tls13, legacyFound, sslv2] = await Promise.all([t13, Promise.all(legacyRuns), sslv2Run]);
  for (const finding of legacyFound) {
    if (!finding.supported && learned.has(finding.protocol)) {
      const outcome = learned.get(finding.protocol)!;
      if (outcome.kind === 'hello') Object.assign(finding, { supported: true, chosen: outcome.hello.cipherSuite, outcome });
    }
  }
  const outcomes = [tls13.outcome, ...legacyFound.map((finding) => finding.outcome), sslv2].filter((outcome): outcome is ProbeOutcome => outcome !== null);
  if (!outcomes.some(isTlsAnswer)) {
    const reasons = [...new Set(outcomes.filter((outcome) => outcome.kind !== 'aborted').map((outcome) => describeOutcome(outcome, timeoutMs)))];
    note(ctx, `no TLS answer from ${where}: ${reasons.join('; ') || 'aborted'}`);
    return finish(scan);
  }

  scan.protocols['TLSv1.3'] = tls13.supported;
  for (const finding of legacyFound) scan.protocols[finding.protocol] = finding.supported;
  const sslv2Ciphers = sslv2.kind === 'sslv2' ? sslv2.hello.ciphers : [];
  scan.protocols.SSLv2 = sslv2.kind === 'sslv2' && sslv2Ciphers.length > 0;
  const legacySupported = legacyFound.filter((finding) => finding.supported);
  const best = legacySupported[0] ?? null;

  // Phase 2, in parallel: suites (then order) per protocol, groups, features, resumption.
  const suiteRuns: Array<Promise<{ protocol: ProtocolName; serverOrder: boolean | null; ordered: number[]; dhBits?: number | null }>> = [];
  if (tls13.supported) {
    const version = Version.TLSv1_3;
    const groups = tls13.group !== null ? [tls13.group] : offers().groups13;
    const ask: SuiteProbe = (suites) => probe(ctx, tls13Hello(ctx, suites, groups, sharesFor(ctx, groups)));
    suiteRuns.push(
      (async () => {
        const known = tls13.chosen !== null ? [tls13.chosen] : [];
        const rest = await enumerate(ctx, 'TLSv1.3', offers().tls13.filter((value) => !known.includes(value)), ask, chosenSuite(version), 1);
        const order = await preferenceOrder(ctx, 'TLSv1.3', [...known, ...rest], ask, chosenSuite(version));
        return { protocol: 'TLSv1.3' as const, ...order };
      })(),
    );
  }
  for (const finding of legacySupported) {
    const protocol = finding.protocol;
    const version = WIRE[protocol];
    const ask: SuiteProbe = (suites) => probe(ctx, legacyHello(ctx, protocol, suites));
    suiteRuns.push(
      (async () => {
        const known = finding.chosen !== null ? [finding.chosen] : [];
        const candidates = offers().legacy[protocol].filter((value) => !known.includes(value));
        const rest = await enumerate(ctx, protocol, candidates, ask, chosenSuite(version), 4);
        const accepted = [...known, ...rest];
        // The size of the server's DH parameters, from a ServerKeyExchange of its DHE suites.
        const dhe = accepted.filter((value) => cipherByValue(value)?.kx === 'DH');
        const [order, dhBits] = await Promise.all([
          preferenceOrder(ctx, protocol, accepted, ask, chosenSuite(version)),
          protocol === best?.protocol && dhe.length > 0 ? dhParameterBits(ctx, protocol, dhe) : Promise.resolve(null),
        ]);
        return { protocol, ...order, dhBits };
      })(),
    );
  }

  const groupRuns: Array<Promise<number[]>> = [];
  if (tls13.supported) groupRuns.push(groups13(ctx, offers().tls13, tls13.group));
  if (best) groupRuns.push(groups12(ctx, best.protocol, offers().ecdhe[best.protocol]));

  const features: TlsFeatures = scan.features;
  const featureRuns: Array<Promise<void>> = [];
  const supportedNames = PROTOCOLS.filter((name) => name !== 'SSLv2' && scan.protocols[name]);
  if (supportedNames.length >= 2) {
    // Offer the second-best protocol as a fallback: inappropriate_fallback means the SCSV is honoured.
    const lower = supportedNames[supportedNames.length - 2] as LegacyProtocol;
    featureRuns.push(
      probe(ctx, legacyHello(ctx, lower, [...offers().legacy[lower], SCSV.Fallback])).then((outcome) => {
        if (outcome.kind === 'alert' && outcome.alert.description === 86) features.fallbackScsv = true;
        else if (outcome.kind === 'hello') features.fallbackScsv = false;
        else if (outcome.kind !== 'aborted') note(ctx, `fallback SCSV: ${describeOutcome(outcome, timeoutMs)}`);
      }),
    );
  }
  const alpnFound = new Set<string>();
  const nodeOk = (result: NodeHandshakeResult, what: string): result is Extract<NodeHandshakeResult, { ok: true }> => {
    if (!result.ok && result.error !== 'aborted') note(ctx, `${what}: ${result.error}`);
    return result.ok;
  };
  const nodeBase = { host: ctx.ip, port: ctx.port, servername: ctx.sni, timeoutMs, signal: controller.signal };
  const nodeRun = (request: Partial<Parameters<typeof nodeHandshake>[0]>) =>
    traced(ctx, 'node', () => nodeHandshake({ ...nodeBase, ...request }), (result) => (result.ok ? 'ok' : result.error));
  const node = (request: Partial<Parameters<typeof nodeHandshake>[0]>) => ctx.limiter.run(() => nodeRun(request));
  if (best) {
    const flight = best.outcome?.kind === 'hello' ? best.outcome : null;
    if (flight) {
      features.compression = legacySupported.some((finding) => finding.outcome?.kind === 'hello' && finding.outcome.hello.compression !== 0);
      features.secureRenegotiation = flight.hello.renegotiationInfo !== null;
      if (flight.flight.certificateStatus) {
        const status = parseCertificateStatus(flight.flight.certificateStatus);
        features.ocspStapling = status.ok && status.value.response.length > 0;
      } else if (flight.flight.done) features.ocspStapling = false;
      if (flight.flight.certificate) {
        const certificates = parseCertificateMessage(flight.flight.certificate);
        if (certificates.ok) scan.chain = chainFrom(certificates.value, now, ctx, `${best.protocol} certificate`);
        else note(ctx, `${best.protocol} certificate: ${certificates.error}`);
      } else if (flight.flight.incomplete) note(ctx, `${best.protocol}: the server's first flight ended early (${flight.flight.incomplete})`);
    }
    for (const protocol of ['h2', 'http/1.1']) {
      featureRuns.push(
        probe(ctx, legacyHello(ctx, best.protocol, offers().legacy[best.protocol], { alpn: [protocol] })).then((outcome) => {
          if (outcome.kind === 'hello' && outcome.hello.alpn === protocol) alpnFound.add(protocol);
        }),
      );
    }
    const maxVersion: SecureVersion = best.protocol === 'TLSv1.2' ? 'TLSv1.2' : best.protocol === 'TLSv1.1' ? 'TLSv1.1' : 'TLSv1';
    featureRuns.push(
      (async () => {
        const first = await node({ maxVersion, noTicket: true, graceful: true });
        if (!nodeOk(first, 'session id resumption')) return;
        if (!first.session) {
          features.sessionIdResumption = false;
          return;
        }
        const second = await node({ maxVersion, noTicket: true, session: first.session });
        if (nodeOk(second, 'session id resumption')) features.sessionIdResumption = second.reused;
      })(),
      (async () => {
        const first = await node({ maxVersion, graceful: true });
        if (!nodeOk(first, 'session ticket resumption')) return;
        if (!first.ticket || !first.session) {
          features.sessionTicketResumption = false;
          return;
        }
        const second = await node({ maxVersion, session: first.session });
        if (nodeOk(second, 'session ticket resumption')) features.sessionTicketResumption = second.reused;
      })(),
    );
  } else if (tls13.supported) {
    // TLS 1.3 only: no compression by definition; ALPN and tickets travel encrypted, so Node's client sees them.
    features.compression = false;
    for (const protocol of ['h2', 'http/1.1']) {
      featureRuns.push(
        node({ minVersion: 'TLSv1.3', alpn: [protocol] }).then((result) => {
          // no_application_protocol is the server's way of saying no.
          if (!result.ok && /no application protocol/i.test(result.error)) return;
          if (nodeOk(result, `ALPN ${protocol}`) && result.alpn === protocol) alpnFound.add(protocol);
        }),
      );
    }
    featureRuns.push(
      (async () => {
        const first = await node({ minVersion: 'TLSv1.3', waitForSessionMs: Math.min(1000, timeoutMs), graceful: true });
        if (!nodeOk(first, 'session ticket resumption')) return;
        if (!first.session) {
          features.sessionTicketResumption = false;
          return;
        }
        const second = await node({ minVersion: 'TLSv1.3', session: first.session });
        if (nodeOk(second, 'session ticket resumption')) features.sessionTicketResumption = second.reused;
      })(),
    );
  }

  const [suiteResults, groupResults] = await Promise.all([Promise.all(suiteRuns), Promise.all(groupRuns), Promise.all(featureRuns)]);
  features.alpn = ['h2', 'http/1.1'].filter((protocol) => alpnFound.has(protocol));

  const byProtocol = new Map(suiteResults.map((result) => [result.protocol, result]));
  const dhBits = suiteResults.find((result) => typeof result.dhBits === 'number')?.dhBits ?? null;
  for (const protocol of [...PROTOCOLS].reverse()) {
    if (protocol === 'SSLv2') {
      scan.ciphers.push(...sslv2Ciphers.map((value) => cipherResult('SSLv2', value, false)));
      continue;
    }
    const result = byProtocol.get(protocol);
    if (!result) continue;
    scan.ciphers.push(...result.ordered.map((value, index) => cipherResult(protocol, value, index === 0, dhBits)));
  }
  const orderFrom = [...LEGACY, 'TLSv1.3' as const].map((protocol) => byProtocol.get(protocol)).find((result) => result && result.ordered.length >= 2);
  scan.serverOrder = orderFrom?.serverOrder ?? null;
  const groupValues = new Set(groupResults.flat());
  scan.groups = offers()
    .groups13.filter((value) => groupValues.has(value))
    .sort((a, b) => a - b)
    .map(groupResult);
  for (const value of groupValues) if (!groupByCode(value)) scan.groups.push(groupResult(value));

  // Phase 3, after the probes so that they do not slow it: one full handshake with Node's client.
  if (!controller.signal.aborted && (tls13.supported || best)) {
    const timed = await node({ requestOcsp: true, chain: scan.chain.length === 0 });
    if (nodeOk(timed, 'handshake')) {
      scan.handshakeMs = timed.ms;
      if (scan.chain.length === 0 && timed.chain.length > 0) scan.chain = chainFrom(timed.chain, now, ctx, 'certificate');
      if (!best) features.ocspStapling = timed.ocspResponse !== null && timed.ocspResponse.length > 0;
    }
  }
  return finish(scan);
}

/** `https://host:port/path`, `tls://host:port`, `host:port` or `host` → the target to scan. */
export function tlsTarget(target: string, defaultPort = 443): TlsTarget {
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target : `tls://${target}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') throw new TypeError(`${target}: no host`);
  const port = url.port === '' ? (url.protocol === 'http:' ? 80 : defaultPort) : Number(url.port);
  return { target, host, port, sni: isIP(host) ? null : host };
}

export interface ScanManyOptions extends Omit<ScanOptions, 'limiter'> {
  /** Endpoints scanned at once. Default 16. */
  concurrency?: number;
}

/**
 * Scans several endpoints: at most `concurrency` at once, and at most `maxConnections`
 * connections per host (the target's host as written) across all its endpoints. One bad
 * endpoint never stops the others; results come in the order of `targets`.
 */
export async function scanEndpoints(targets: readonly TlsTarget[], options: ScanManyOptions = {}): Promise<TlsScan[]> {
  const perHost = new Map<string, Limiter>();
  const endpoints = new Limiter(options.concurrency ?? 16);
  return Promise.all(
    targets.map((target) =>
      endpoints.run(async () => {
        const key = target.host.toLowerCase();
        let limiter = perHost.get(key);
        if (!limiter) {
          limiter = new Limiter(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
          perHost.set(key, limiter);
        }
        return scanEndpoint(target, { ...options, limiter });
      }),
    ),
  );
}
