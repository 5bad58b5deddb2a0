/**
 * The lifecycle of a finding across snapshots, as a pure function the store calls inside its
 * transaction. A finding is `new` the first time its fingerprint is seen, `open` while it keeps
 * being seen, `resolved` when a later run of its probe no longer sees it, and `reopened` when it
 * comes back after that.
 *
 * A finding is resolved only by a run of its probe that finished `ok`: a probe that failed, was
 * partial (some inputs unreadable), or was not selected (`--probe`) saw too little to say that
 * something is gone, so its earlier findings stay open. That way a flaky network or a filtered run
 * never makes the backlog look better than it is.
 */
import type { FindingStatus, ProbeRunStatus } from './model.js';

/** What the store knows of one fingerprint before this snapshot. */
export interface PriorFinding {
  fingerprint: string;
  probe: string;
  state: 'open' | 'resolved';
}

export interface LifecycleTransition {
  fingerprint: string;
  status: FindingStatus;
}

/**
 * @param prior every finding of the system the store knows (open or resolved)
 * @param observed fingerprints observed in this snapshot (duplicates are ignored)
 * @param probeStatus the status of each probe's run in this snapshot
 * @returns one transition per observed fingerprint and per prior open finding this snapshot resolves
 */
export function reconcile(
  prior: Iterable<PriorFinding>,
  observed: Iterable<string>,
  probeStatus: ReadonlyMap<string, ProbeRunStatus>,
): LifecycleTransition[] {
  const priorByFingerprint = new Map<string, PriorFinding>();
  for (const finding of prior) priorByFingerprint.set(finding.fingerprint, finding);

  const transitions: LifecycleTransition[] = [];
  const seen = new Set<string>();
  for (const fingerprint of observed) {
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    const before = priorByFingerprint.get(fingerprint);
    const status: FindingStatus = before === undefined ? 'new' : before.state === 'open' ? 'open' : 'reopened';
    transitions.push({ fingerprint, status });
  }
  for (const before of priorByFingerprint.values()) {
    if (before.state !== 'open' || seen.has(before.fingerprint)) continue;
    if (probeStatus.get(before.probe) === 'ok') transitions.push({ fingerprint: before.fingerprint, status: 'resolved' });
  }
  return transitions;
}
