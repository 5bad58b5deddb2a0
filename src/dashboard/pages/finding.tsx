/**
 * A finding: its evidence (message, data), remediation, location, history (first seen, resolved,
 * reopened) and the form that ignores it (POST /api/v1/ignores with the token).
 */
import { useState } from 'preact/hooks';
import { ApiError, send } from '../api.ts';
import { aspectLabel, ErrorBox, errorText, Facts, isNotFound, JsonValue, Loading, LocationView, SeverityBadge, StatusBadge, Time } from '../components/common.tsx';
import { useApp } from '../context.ts';
import { useApi, useTitle } from '../hooks.ts';
import { apiPath, buildQuery } from '../query.ts';
import { paths } from '../router.ts';
import type { Finding, FindingDetail, HistoryEntry, Ignore } from '../types.ts';

export function FindingPage({ system, fingerprint }: { system: string; fingerprint: string }) {
  const { t, f } = useApp();
  const detail = useApi<FindingDetail>(apiPath('systems', system, 'findings', fingerprint));
  const finding = detail.data?.finding;
  useTitle(finding?.title ?? t('finding.heading'));

  if (isNotFound(detail.error)) {
    return (
      <>
        <h1>{t('finding.heading')}</h1>
        <p role="alert">{t('finding.notFound', { system })}</p>
        <p>
          <a href={paths.system(system)}>{system}</a>
        </p>
      </>
    );
  }
  return (
    <>
      <p class="breadcrumb">
        <a href={paths.backlog()}>{t('backlog.title')}</a> › <a href={paths.system(system)}>{system}</a>
      </p>
      {detail.error !== undefined && <ErrorBox error={detail.error} onRetry={detail.reload} />}
      {!finding && detail.loading && <Loading />}
      {finding && detail.data && (
        <>
          <h1 class="finding-title">{finding.title}</h1>
          <p class="badges">
            <SeverityBadge severity={finding.severity} /> <StatusBadge status={finding.status} />
            {finding.suppressed && (
              <span class="badge muted-badge">
                {finding.suppressed.until ? t('finding.suppressedUntil', { until: f.day(finding.suppressed.until) }) : t('finding.suppressed')}
              </span>
            )}
          </p>
          {finding.suppressed && <p class="note">{t('finding.suppressedReason', { reason: finding.suppressed.reason })}</p>}
          <section aria-labelledby="evidence-title">
            <h2 id="evidence-title">{t('finding.evidence')}</h2>
            <p class="message">{finding.message}</p>
            <Facts
              items={[
                [t('finding.system'), <a href={paths.system(finding.system)}>{finding.system}</a>],
                [t('finding.aspect'), aspectLabel(t, finding.aspect)],
                [t('finding.rule'), <a href={paths.backlog(buildQuery({ rule: [finding.rule] }))}><code>{finding.rule}</code></a>],
                [t('finding.probe'), finding.probe],
                [t('finding.location'), <LocationView location={finding.location} />],
                [t('finding.priority'), f.number(finding.priority)],
                [t('finding.effort'), finding.effort ? t(`effort.${finding.effort}`) : t('common.unknown')],
                [t('finding.fingerprint'), <code class="break">{finding.fingerprint}</code>],
              ]}
            />
            {Object.keys(finding.data ?? {}).length > 0 && (
              <>
                <h3>{t('finding.data')}</h3>
                <div class="table-wrap" role="region" aria-label={t('finding.data')} tabIndex={0}>
                  <table class="data">
                    <caption class="sr-only">{t('finding.data')}</caption>
                    <tbody>
                      {Object.entries(finding.data).map(([key, value]) => (
                        <tr key={key}>
                          <th scope="row">{key}</th>
                          <td>
                            <JsonValue value={value} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </section>
          <section aria-labelledby="remediation-title">
            <h2 id="remediation-title">{t('finding.remediation')}</h2>
            <p class="pre-wrap">{finding.remediation ?? t('finding.generalRemediation', { rule: finding.rule })}</p>
          </section>
          <History finding={finding} history={detail.data.history} />
          <IgnoreSection finding={finding} onChange={detail.reload} />
        </>
      )}
    </>
  );
}

function History({ finding, history }: { finding: Finding; history: HistoryEntry[] }) {
  const { t, f } = useApp();
  const resolved = history.filter((h) => h.status === 'resolved').at(-1);
  const reopened = history.filter((h) => h.status === 'reopened').at(-1);
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t('finding.history')}</h2>
      <Facts
        items={[
          [t('finding.firstSeen'), <Time iso={finding.firstSeen} absolute />],
          [t('finding.lastSeen'), <Time iso={finding.lastSeen} absolute />],
          [t('finding.lastResolved'), resolved ? <Time iso={resolved.at} absolute /> : t('finding.never')],
          [t('finding.lastReopened'), reopened ? <Time iso={reopened.at} absolute /> : t('finding.never')],
        ]}
      />
      {history.length > 0 && (
        <ol class="history">
          {history.map((entry) => (
            <li key={`${entry.snapshotId}${entry.status}`}>
              <time dateTime={entry.at}>{f.dateTime(entry.at)}</time> <StatusBadge status={entry.status} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function IgnoreSection({ finding, onChange }: { finding: Finding; onChange(): void }) {
  const { t, f, meta, announce } = useApp();
  const ignores = useApi<{ ignores: Ignore[] }>(apiPath('ignores'));
  const [scope, setScope] = useState<'fingerprint' | 'rule'>('fingerprint');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [state, setState] = useState<{ kind: 'idle' | 'sending' | 'done' } | { kind: 'error'; error: unknown }>({ kind: 'idle' });
  const readOnly = meta !== null && !meta.writable;
  const matching = (ignores.data?.ignores ?? []).filter((ignore) => ignore.system === finding.system && (ignore.fingerprint === finding.fingerprint || ignore.rule === finding.rule));
  const today = new Date().toISOString().slice(0, 10);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!reason.trim()) return;
    setState({ kind: 'sending' });
    try {
      const body = {
        system: finding.system,
        ...(scope === 'fingerprint' ? { fingerprint: finding.fingerprint } : { rule: finding.rule }),
        reason: reason.trim(),
        until: until || null,
      };
      await send<Ignore>('POST', apiPath('ignores'), body);
      setState({ kind: 'done' });
      setReason('');
      setUntil('');
      announce(t('ignore.done'));
      ignores.reload();
      onChange();
    } catch (error) {
      setState(error instanceof ApiError && error.code === 'cancelled' ? { kind: 'idle' } : { kind: 'error', error });
    }
  };
  const remove = async (ignore: Ignore) => {
    try {
      await send('DELETE', apiPath('ignores', String(ignore.id)));
      announce(t('ignore.removed'));
      ignores.reload();
      onChange();
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'cancelled')) setState({ kind: 'error', error });
    }
  };

  return (
    <section aria-labelledby="ignore-title">
      <h2 id="ignore-title">{t('ignore.title')}</h2>
      {matching.length > 0 && (
        <ul class="ignores">
          {matching.map((ignore) => (
            <li key={ignore.id}>
              <span>
                {ignore.fingerprint ? t('ignore.thisFinding') : t('ignore.wholeRule', { rule: ignore.rule ?? '' })}: {ignore.reason}
                {' · '}
                {ignore.until ? t('ignore.until', { until: f.day(ignore.until) }) : t('ignore.forever')}
              </span>{' '}
              <button type="button" onClick={() => void remove(ignore)} disabled={readOnly}>
                {t('ignore.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {readOnly ? (
        <p class="note">{t('ignore.readOnly')}</p>
      ) : (
        <form class="ignore-form" onSubmit={(event) => void submit(event)}>
          <fieldset>
            <legend>{t('ignore.scope')}</legend>
            <label class="check">
              <input type="radio" name="scope" value="fingerprint" checked={scope === 'fingerprint'} onChange={() => setScope('fingerprint')} />
              {t('ignore.thisFinding')}
            </label>
            <label class="check">
              <input type="radio" name="scope" value="rule" checked={scope === 'rule'} onChange={() => setScope('rule')} />
              {t('ignore.wholeRule', { rule: finding.rule })}
            </label>
          </fieldset>
          <label>
            {t('ignore.reason')}
            <textarea required rows={3} value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          </label>
          <label>
            {t('ignore.untilLabel')}
            <input type="date" min={today} value={until} onInput={(event) => setUntil(event.currentTarget.value)} />
          </label>
          <div class="actions">
            <button type="submit" class="primary" disabled={state.kind === 'sending'}>
              {state.kind === 'sending' ? t('common.sending') : t('ignore.submit')}
            </button>
            <span role="status">{state.kind === 'done' ? t('ignore.done') : ''}</span>
          </div>
          {state.kind === 'error' && (
            <p class="error" role="alert">
              {errorText(t, state.error)}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
