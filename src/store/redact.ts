/** Secrets in database URLs never reach a message or a log. */

/** The URL with its password (in the authority or a `password` parameter) replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass(word)?|secret|token|key$/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    // Not a URL `new URL` understands: cut everything between the scheme and the last "@".
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, (_, scheme: string) => `${scheme}***@`);
  }
}
