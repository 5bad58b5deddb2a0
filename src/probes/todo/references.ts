/**
 * Recognises what a marker refers to, so the backlog can tell tracked debt (`TODO(#123)`) from
 * untracked. The first reference wins: an issue number, a tracker key, or a URL.
 */
const URL_RE = /\bhttps?:\/\/[^\s<>"'`)\]]+/;
// owner/repo#123, GH-123 and #123 (not part of a word, so "C#" or "a#b" do not count)
const ISSUE_RE = /\b[\w.-]+\/[\w.-]+#\d+\b|(?<![\w&])#\d+\b|\bGH-\d+\b|\bCVE-\d{4}-\d{4,}\b/;
// Jira-style keys: ABC-123 (2–10 upper-case letters or digits, starting with a letter), except
// the names of standards and algorithms that share the shape (UTF-8, SHA-256, ISO-8859).
const TICKET_RE = /\b(?!(?:UTF|UCS|ISO|SHA|AES|RSA|DES|MD|HTTP|TLS|SSL|IPV|ES|ECMA|PEP|RFC|CP|WIN|ARM|X86|CVE|GH)-)[A-Z][A-Z0-9]{1,9}-\d+\b/;

export function findReference(text: string): string | null {
  let best: { index: number; value: string } | null = null;
  for (const re of [URL_RE, ISSUE_RE, TICKET_RE]) {
    const match = re.exec(text);
    if (match && (best === null || match.index < best.index)) best = { index: match.index, value: match[0].replace(/[.,;:]+$/, '') };
  }
  return best?.value ?? null;
}
