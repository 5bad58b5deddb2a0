/**
 * Sections a probe asks reporters to show after the backlog (an upgrade plan, say), carried in
 * its stored facts as `facts.sections: [{ title, items: [string] }]`. Reporters stay generic:
 * they know this shape, not the probe. Anything else under `facts.sections` is ignored.
 */
import { z } from 'zod';
import type { SnapshotRecord } from '../core/model.js';

const sectionsSchema = z.array(z.object({ title: z.string().min(1), items: z.array(z.string()) }));

export interface ReportSection {
  system: string;
  probe: string;
  title: string;
  items: string[];
}

export function probeSections(snapshots: readonly SnapshotRecord[]): ReportSection[] {
  const out: ReportSection[] = [];
  for (const snapshot of snapshots) {
    for (const run of snapshot.probes) {
      const facts = run.facts as { sections?: unknown } | undefined;
      if (facts === null || typeof facts !== 'object' || facts.sections === undefined) continue;
      const parsed = sectionsSchema.safeParse(facts.sections);
      if (!parsed.success) continue;
      for (const section of parsed.data) if (section.items.length > 0) out.push({ system: snapshot.system, probe: run.id, ...section });
    }
  }
  return out;
}

const notesSchema = z.array(z.string());

/** One-line notes a probe attaches to its run (`facts.notes`), such as the date of its data. */
export function probeNotes(run: { facts?: unknown }): string[] {
  const facts = run.facts as { notes?: unknown } | undefined;
  if (facts === null || typeof facts !== 'object' || facts.notes === undefined) return [];
  const parsed = notesSchema.safeParse(facts.notes);
  return parsed.success ? parsed.data : [];
}
