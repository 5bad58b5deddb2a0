/**
 * prodeng's TLS scanner: what an endpoint accepts (protocols SSLv2–TLS 1.3, cipher suites and the
 * server's order, named groups, features, certificate chain), found with raw ClientHello probes.
 * See readme.md for what is detected, how, and the limits.
 */
export { DEFAULT_MAX_CONNECTIONS, DEFAULT_TIMEOUT_MS, scanEndpoint, scanEndpoints, tlsTarget } from './scan.js';
export type { ScanManyOptions, ScanOptions, ScanTraceEvent } from './scan.js';
export { Limiter } from './connection.js';
export { certificateInfo } from './certificate.js';
