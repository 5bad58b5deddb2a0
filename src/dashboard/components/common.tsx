/**
 * Small shared pieces. Every text from the API (titles, paths, messages, names) is passed to
 * Preact as a child or an attribute value, which sets `textContent`/attributes: it is never
 * parsed as HTML.
 */
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api.ts';
import { useApp } from '../context.ts';
import { hasKey, type Translate } from '../i18n.ts';
import { isSeverity, locationText, safeHref, trendOf } from '../model.ts';
import { paths } from '../router.ts';
import { SEVERITIES, type Counts, type Finding } from '../types.ts';

export function aspectLabel(t: Translate, aspect: string): string {
  const key = `aspect.${aspect}`;
  return hasKey(key) ? t(key) : aspect;
}

export function SeverityBadge({ severity }: { severity: string }) {
  const { t } = useApp();
  const known = isSeverity(severity);
  return <span class={`badge sev-${known ? severity : 'unknown'}`}>{known ? t(`severity.${severity}`) : severity}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useApp();
  const key = `status.${status}`;
  return <span class={`badge status status-${/^[a-z-]+$/.test(status) ? status : 'unknown'}`}>{hasKey(key) ? t(key) : status}</span>;
}

/** An instant as relative text, with the full date and time as its tooltip. */
export function Time({ iso, absolute }: { iso: string | null | undefined; absolute?: boolean }) {
  const { f } = useApp();
  if (!iso) return <span>–</span>;
  return (
    <time dateTime={iso} title={absolute ? f.relative(iso) : f.dateTime(iso)}>
      {absolute ? f.dateTime(iso) : f.relative(iso)}
    </time>
  );
}

export function Loading() {
  const { t } = useApp();
  return (
    <p class="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

export function errorText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    const what = hasKey(key) ? t(key) : t('error.http', { status: error.status });
    return error.message && error.message !== what ? `${what} (${error.message})` : what;
  }
  return t('error.unexpected', { message: error instanceof Error ? error.message : String(error) });
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useApp();
  return (
    <div class="error" role="alert">
      <p>{errorText(t, error)}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** Open findings by severity: chips of the non-zero counts, with a full sentence for screen readers. */
export function countsText(t: Translate, counts: Partial<Counts> | null | undefined): string {
  const parts = SEVERITIES.filter((s) => (counts?.[s] ?? 0) > 0).map((s) => t('counts.part', { n: counts?.[s] ?? 0, severity: t(`severity.${s}`) }));
  return parts.length ? parts.join(t('common.listSeparator')) : t('counts.none');
}

export function CountChips({ counts }: { counts: Partial<Counts> | null | undefined }) {
  const { t } = useApp();
  const shown = SEVERITIES.filter((s) => (counts?.[s] ?? 0) > 0);
  if (shown.length === 0) return <span class="muted">0</span>;
  return (
    <span class="chips">
      {shown.map((s) => (
        <span key={s} class={`chip sev-${s}`}>
          {t(`severityShort.${s}`)}
          {counts?.[s] ?? 0}
        </span>
      ))}
    </span>
  );
}

export function trendText(t: Translate, now: Partial<Counts> | null | undefined, weekAgo: Partial<Counts> | null | undefined): string {
  const { direction, delta } = trendOf(now, weekAgo);
  return t(`trend.${direction}`, { delta: delta > 0 ? `+${delta}` : String(delta) });
}

export function Trend({ now, weekAgo }: { now: Partial<Counts> | null | undefined; weekAgo: Partial<Counts> | null | undefined }) {
  const { direction, delta } = trendOf(now, weekAgo);
  const symbol = { worse: '▲', better: '▼', same: '=', unknown: '' }[direction];
  if (direction === 'unknown') return null;
  return (
    <span class={`trend trend-${direction}`}>
      {symbol}
      {delta !== 0 ? ` ${delta > 0 ? '+' : '−'}${Math.abs(delta)}` : ''}
    </span>
  );
}

/** A finding's location as text; a URL location is a link only when it is http(s). */
export function LocationView({ location }: { location: Finding['location'] }) {
  const text = locationText(location);
  if (text === null) return <span class="muted">–</span>;
  if (location && 'url' in location) {
    const href = safeHref(location.url);
    if (href)
      return (
        <a href={href} rel="noreferrer noopener" target="_blank" class="path">
          {text}
        </a>
      );
  }
  return <span class="path">{text}</span>;
}

/** A table of findings: severity, title (link), system, aspect, rule, location, age, status. */
export function FindingTable({ findings, caption, showSystem = true, showAspect = true, rankFrom }: { findings: readonly Finding[]; caption: string; showSystem?: boolean; showAspect?: boolean; rankFrom?: number }) {
  const { t, f } = useApp();
  return (
    <div class="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table class="findings">
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            {rankFrom !== undefined && <th scope="col">{t('finding.rank')}</th>}
            <th scope="col">{t('finding.severity')}</th>
            <th scope="col">{t('finding.title')}</th>
            {showSystem && <th scope="col">{t('finding.system')}</th>}
            {showAspect && <th scope="col">{t('finding.aspect')}</th>}
            <th scope="col">{t('finding.rule')}</th>
            <th scope="col">{t('finding.location')}</th>
            <th scope="col" class="num">
              {t('finding.age')}
            </th>
            <th scope="col">{t('finding.status')}</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((finding, i) => (
            <tr key={`${finding.system}\u0000${finding.fingerprint}`}>
              {rankFrom !== undefined && <td class="num">{f.number(rankFrom + i, 0)}</td>}
              <td>
                <SeverityBadge severity={finding.severity} />
              </td>
              <td class="title-cell">
                <a href={paths.finding(finding.system, finding.fingerprint)}>{finding.title}</a>
                {finding.suppressed && <span class="badge muted-badge">{t('finding.suppressed')}</span>}
              </td>
              {showSystem && (
                <td>
                  <a href={paths.system(finding.system)}>{finding.system}</a>
                </td>
              )}
              {showAspect && <td class="aspect-cell">{aspectLabel(t, finding.aspect)}</td>}
              <td>
                <code>{finding.rule}</code>
              </td>
              <td class="location">
                <LocationView location={finding.location} />
              </td>
              <td class="num">
                <time dateTime={finding.firstSeen} title={f.dateTime(finding.firstSeen)}>
                  {f.relative(finding.firstSeen)}
                </time>
              </td>
              <td>
                <StatusBadge status={finding.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A definition list from label/value pairs (values may be elements). */
export function Facts({ items }: { items: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function yesNo(t: Translate, value: unknown): string {
  return value === true ? t('common.yes') : value === false ? t('common.no') : t('common.unknown');
}

/** Any JSON value as text: primitives as they are, the rest as indented JSON in a <pre>. */
export function JsonValue({ value }: { value: unknown }) {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return <span class="muted">–</span>;
  if (typeof value === 'string') return <span class="pre-wrap">{value}</span>;
  if (typeof value === 'number' || typeof value === 'boolean') return <span>{String(value)}</span>;
  if (Array.isArray(value) && value.every((item) => item === null || ['string', 'number', 'boolean'].includes(typeof item))) {
    return (
      <ul class="plain">
        {value.map((item, i) => (
          <li key={i}>{String(item)}</li>
        ))}
      </ul>
    );
  }
  return <pre class="json">{JSON.stringify(value, null, 2)}</pre>;
}

/** The system picker of the TLS and tests pages. */
export function SystemLinks({ names, href }: { names: readonly string[]; href: (name: string) => string }) {
  return (
    <ul class="system-links">
      {names.map((name) => (
        <li key={name}>
          <a href={href(name)}>{name}</a>
        </li>
      ))}
    </ul>
  );
}
