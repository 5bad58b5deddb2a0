/**
 * What the analysers of the `supply-chain` probe return: hits (one occurrence of a problem, at a
 * line) and file-scoped errors. The probe merges hits with the same rule, file and key into one
 * finding, so a key is the normalised evidence of the problem and never contains a line number.
 */
import type { Effort, Severity } from '../../core/model.js';
import type { RuleName } from './rules.js';

export interface Hit {
  rule: RuleName;
  severity: Severity;
  /** Repository-relative path, forward slashes. */
  path: string;
  /** 1-based line of this occurrence. */
  line: number;
  /** Normalised evidence: the identity of the finding within its file (no line numbers). */
  key: string;
  title: string;
  /** The evidence in a sentence; the probe appends other occurrences. */
  message: string;
  data: Record<string, unknown>;
  remediation: string;
  effort: Effort;
}

export interface FileError {
  message: string;
  line?: number;
  code?: string;
}

export interface Analysis {
  hits: Hit[];
  errors: FileError[];
}

/** Remote references of actions and reusable workflows: how many, how many pinned to a SHA or digest. */
export interface ActionRefCount {
  total: number;
  pinned: number;
}

/** Collapses whitespace and trims (for keys and quoted evidence). */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Evidence quoted in a message: whitespace collapsed, at most `max` characters. */
export function quote(text: string, max = 160): string {
  const s = squash(text).replace(/[\u0000-\u001f\u007f]/g, '?');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** 1-based line of a 0-based offset in `text`, counted from `firstLine`. Linear in the offset. */
export function lineOfOffset(text: string, offset: number, firstLine: number): number {
  let line = firstLine;
  let i = text.indexOf('\n');
  while (i !== -1 && i < offset) {
    line++;
    i = text.indexOf('\n', i + 1);
  }
  return line;
}
