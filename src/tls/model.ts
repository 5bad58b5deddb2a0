/**
 * What a TLS scan of one endpoint finds, and what policy makes of it. The scanner (raw sockets,
 * src/tls/scanner) fills {@link TlsScan}; the policy (src/tls/policy) judges it into
 * {@link TlsAssessment}; the `tls` probe turns both into findings, metrics and the facts below.
 */

export const PROTOCOLS = ['SSLv2', 'SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type ProtocolName = (typeof PROTOCOLS)[number];

export interface TlsTarget {
  /** As configured: `https://host:port/path` or `tls://host:port`. */
  target: string;
  host: string;
  port: number;
  /** Server name sent in SNI; null for an IP address without an explicit name. */
  sni: string | null;
}

export interface CipherResult {
  protocol: ProtocolName;
  /** IANA code point, `0xC02F` (SSLv2: `0x0700C0`). */
  code: string;
  /** IANA name (`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`), or the OpenSSL name when IANA has none. */
  name: string;
  /** The server's first choice for this protocol. */
  preferred: boolean;
  /** Key exchange, authentication, encryption and bits, MAC — from the cipher table. */
  kx?: string;
  au?: string;
  enc?: string;
  bits?: number;
  mac?: string;
}

export interface GroupResult {
  /** supported_groups code point (`0x001D` X25519, `0x11EC` X25519MLKEM768). */
  code: string;
  name: string;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Whole days from the scan to notAfter; negative once expired. */
  daysLeft: number;
  keyType: 'RSA' | 'RSA-PSS' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | 'DH' | 'unknown';
  keyBits: number | null;
  curve: string | null;
  /** `sha256WithRSAEncryption`, `ecdsa-with-SHA384`… */
  signatureAlgorithm: string;
  subjectAltNames: string[];
  selfSigned: boolean;
  fingerprintSha256: string;
  /** The certificate in PEM, for trust checks (not stored in facts by the probe). */
  pem: string;
}

export interface TlsFeatures {
  compression: boolean | null;
  secureRenegotiation: boolean | null;
  /** TLS_FALLBACK_SCSV honoured (a downgraded retry is refused). */
  fallbackScsv: boolean | null;
  sessionIdResumption: boolean | null;
  sessionTicketResumption: boolean | null;
  /** Protocols the server selects from h2, http/1.1 when offered. */
  alpn: string[];
  /** A stapled OCSP response came with the certificate. */
  ocspStapling: boolean | null;
}

export interface TlsScan {
  target: TlsTarget;
  /** The address actually connected to. */
  ip: string;
  protocols: Record<ProtocolName, boolean>;
  ciphers: CipherResult[];
  /** The server picks by its own preference (true), by the client's (false), or unknown (null). */
  serverOrder: boolean | null;
  groups: GroupResult[];
  features: TlsFeatures;
  /** Leaf first, as the server sent it. */
  chain: CertificateInfo[];
  /** Time of one full handshake with the best protocol, in ms. */
  handshakeMs: number | null;
  /** Wall time of the whole scan, in ms. */
  scanMs: number;
  /** What could not be determined, and why (timeouts, resets, garbage). */
  errors: string[];
}

export type Grade = 'A+' | 'A' | 'A-' | 'B' | 'C' | 'D' | 'E' | 'F' | 'T' | 'M';

export interface CertificateAssessment {
  expired: boolean;
  daysLeft: number;
  hostnameMatch: boolean;
  trusted: boolean;
  /** Why the chain is not trusted, when it is not. */
  trustError: string | null;
  chainInOrder: boolean;
  weakKey: boolean;
  weakSignature: boolean;
}

export interface MozillaAssessment {
  /** `intermediate` (6.0), `modern` (6.0) or `old` (5.8). */
  profile: 'modern' | 'intermediate' | 'old';
  guidelineVersion: string;
  compliant: boolean;
  deviations: string[];
}

export interface TlsAssessment {
  grade: Grade;
  /** 0–100, the numeric score behind the grade (`tls.grade_score`). */
  score: number;
  /** Each rule that capped the grade, in words. */
  caps: string[];
  mozilla: MozillaAssessment;
  certificate: CertificateAssessment | null;
}
