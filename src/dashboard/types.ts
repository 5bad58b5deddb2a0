/**
 * The shapes the dashboard reads from `prodeng serve` (docs/api.md, docs/report-format.md).
 * Consumers must ignore fields they do not know, and most fields are read defensively: the API
 * may add fields at any level, and a probe's facts are free-form.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The aspects the overview always shows, in this order; others follow when present. */
export const MAIN_ASPECTS = ['technology-upgrade', 'security', 'code-health', 'tests', 'ci', 'performance'] as const;

export type Counts = Record<Severity, number>;

export type Location = { path: string; line?: number; column?: number } | { url: string } | null;

export type FindingStatus = 'new' | 'open' | 'resolved' | 'reopened';

export interface Finding {
  fingerprint: string;
  system: string;
  probe: string;
  rule: string;
  aspect: string;
  severity: Severity;
  title: string;
  message: string;
  location: Location;
  status: FindingStatus;
  firstSeen: string;
  lastSeen: string;
  data: Record<string, unknown>;
  remediation: string | null;
  effort: 'trivial' | 'small' | 'medium' | 'large' | null;
  suppressed?: { reason: string; until: string | null };
  priority: number;
}

export interface Meta {
  version: string;
  writable: boolean;
  authRequired: boolean;
  aspects: string[];
  severities: string[];
  eolData: { source: string; asOf: string } | null;
}

export interface OverviewSystem {
  name: string;
  latestAt: string | null;
  latestStatus: SnapshotStatus | null;
  aspects: Record<string, { open: Counts; weekAgo: Counts | null }>;
}

export interface Overview {
  generatedAt: string;
  systems: OverviewSystem[];
  worse: Finding[];
}

export type SnapshotStatus = 'complete' | 'partial' | 'failed';

export interface Schedule {
  cron: string;
  timezone?: string;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastDurationMs: number | null;
  lastStatus: 'complete' | 'partial' | 'failed' | 'error' | null;
  running: boolean;
  failures: number;
}

export interface ProbeRun {
  id: string;
  status: 'ok' | 'partial' | 'failed' | 'skipped';
  durationMs: number;
  errors: { message: string; path?: string; code?: string }[];
  facts?: unknown;
}

export interface Snapshot {
  id: string;
  system: string;
  startedAt: string;
  finishedAt: string;
  status: SnapshotStatus;
  revision: { commit: string; branch: string | null } | null;
  probes: ProbeRun[];
}

export interface SystemSummary {
  name: string;
  snapshots: number;
  latestSnapshotId: string | null;
  latestAt: string | null;
  latestStatus: SnapshotStatus | null;
  open: Counts;
  schedule: Schedule | null;
}

export interface SystemDetail extends SystemSummary {
  latest: Snapshot | null;
}

export interface FindingsPage {
  total: number;
  offset: number;
  limit: number;
  findings: Finding[];
}

export interface HistoryEntry {
  snapshotId: string;
  at: string;
  status: FindingStatus;
}

export interface FindingDetail {
  finding: Finding;
  history: HistoryEntry[];
}

export interface ChangePoint {
  index: number;
  at: string;
  before: number;
  after: number;
  kind: 'regression' | 'improvement' | 'change';
}

export interface Point {
  snapshotId: string;
  at: string;
  value: number;
}

export interface Series {
  name: string;
  labels: Record<string, string>;
  unit: string;
  probe: string;
  direction?: 'higher-is-worse' | 'higher-is-better' | null;
  points: Point[];
  changePoints: ChangePoint[];
}

export interface MetricChange {
  probe: string;
  name: string;
  labels: Record<string, string>;
  unit: string;
  from: number | null;
  to: number | null;
  delta: number | null;
  deltaPercent: number | null;
}

export interface SnapshotRef {
  id: string;
  startedAt: string;
  status: SnapshotStatus;
  revision: { commit: string; branch: string | null } | null;
}

export interface Diff {
  schemaVersion: number;
  system: string;
  from: SnapshotRef;
  to: SnapshotRef;
  findings: { new: Finding[]; reopened: Finding[]; resolved: Finding[]; unobserved: Finding[] };
  metrics: MetricChange[];
}

export interface EolItem {
  system: string;
  /** The endoflife.date product, e.g. `nodejs`. */
  component: string;
  cycle?: string | null;
  version: string | null;
  eol: string;
  daysLeft: number;
  /** The file that declares it. */
  path?: string | null;
  /** The open finding about it, if any. */
  rule: string | null;
  fingerprint: string | null;
}

export interface TlsCipher {
  protocol: string;
  code: string;
  name: string;
  preferred?: boolean;
}

export interface TlsCertificate {
  subject?: string;
  issuer?: string;
  notBefore?: string;
  notAfter?: string;
  daysLeft?: number;
  keyType?: string;
  keyBits?: number;
  signatureAlgorithm?: string;
  subjectAltNames?: string[];
  trusted?: boolean;
  hostnameMatch?: boolean;
  [key: string]: unknown;
}

export interface TlsEndpoint {
  target: string;
  ip?: string;
  port?: number;
  sni?: string | null;
  protocols?: Record<string, boolean>;
  ciphers?: TlsCipher[];
  serverOrder?: boolean | string | null;
  groups?: { code: string | number; name: string }[];
  features?: Record<string, unknown>;
  certificate?: TlsCertificate | null;
  grade?: string | null;
  score?: number | null;
  caps?: unknown[];
  mozilla?: { profile: string; compliant: boolean; deviations: unknown[] } | null;
  error?: string;
}

export interface TlsAnswer {
  snapshotId: string;
  at: string;
  endpoints: TlsEndpoint[];
}

export interface FlakeEvidence {
  kind: string;
  runId?: string;
  attempt?: number;
  commit?: string | null;
  branch?: string | null;
  at?: string;
  status?: string;
}

export interface TestRow {
  id: string;
  suite: string;
  classname: string;
  name: string;
  file: string | null;
  status: 'flaky' | 'broken' | 'healthy';
  state: string;
  score: number;
  runs: number;
  failures: number;
  flips: number;
  firstFlake: string | null;
  lastFlake: string | null;
  meanSeconds: number | null;
  p95Seconds: number | null;
  reasons?: string[];
  evidence?: FlakeEvidence[];
  flakes?: number;
  lastMessage?: string | null;
}

export interface TestsAnswer {
  system: string;
  generatedAt: string;
  runs: number;
  excludedRuns: number;
  tests: TestRow[];
}

export interface Ignore {
  id: number | string;
  system: string;
  fingerprint: string | null;
  rule: string | null;
  reason: string;
  until: string | null;
  createdAt: string;
}
