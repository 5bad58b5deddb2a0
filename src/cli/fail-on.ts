import { meetsThreshold, type FindingRecord, type Severity } from '../core/model.js';

/** `--fail-on`: is there an open (not resolved, not ignored) finding at or above the threshold? */
export function exceedsThreshold(findings: readonly FindingRecord[], threshold: Severity): boolean {
  return findings.some((finding) => finding.status !== 'resolved' && finding.suppressed === undefined && meetsThreshold(finding.severity, threshold));
}
