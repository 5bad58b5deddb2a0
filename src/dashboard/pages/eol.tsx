/** End-of-life calendar: what passed or reaches end of life in the next 3, 6 and 12 months, across all systems. */
import { useMemo } from 'preact/hooks';
import { saveBlob } from '../api.ts';
import { ErrorBox, Loading } from '../components/common.tsx';
import { useApp } from '../context.ts';
import { toCsv } from '../csv.ts';
import { useApi, useTitle } from '../hooks.ts';
import { byMonth, EOL_BUCKETS, eolBuckets } from '../model.ts';
import { apiPath, buildQuery } from '../query.ts';
import { paths } from '../router.ts';
import type { EolItem } from '../types.ts';

export function EolPage() {
  const { t, f, meta } = useApp();
  useTitle(t('eol.title'));
  const eol = useApi<{ asOf: string; items: EolItem[] }>(`${apiPath('eol')}${buildQuery({ months: 12 })}`);
  const today = new Date().toISOString().slice(0, 10);
  const buckets = useMemo(() => (eol.data ? eolBuckets(eol.data.items, today) : null), [eol.data, today]);

  const exportCsv = () => {
    if (!eol.data) return;
    const rows = [['system', 'component', 'cycle', 'version', 'eol', 'daysLeft', 'path', 'rule', 'fingerprint'], ...eol.data.items.map((i) => [i.system, i.component, i.cycle, i.version, i.eol, i.daysLeft, i.path, i.rule, i.fingerprint])];
    saveBlob(new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' }), 'prodeng-eol.csv');
  };

  return (
    <>
      <h1>{t('eol.title')}</h1>
      <p class="lead">
        {t('eol.help')}
        {meta?.eolData && ` ${t('eol.source', { source: meta.eolData.source, asOf: f.day(meta.eolData.asOf.slice(0, 10)) })}`}
      </p>
      {eol.error !== undefined && <ErrorBox error={eol.error} onRetry={eol.reload} />}
      {!eol.data && eol.loading && <Loading />}
      {buckets && eol.data && (
        <>
          <ul class="summary-cards">
            {EOL_BUCKETS.map((bucket) => (
              <li key={bucket} class={`card eol-${bucket}`}>
                <a href={`#eol-${bucket}`}>
                  <span class="card-number">{f.number(buckets[bucket].length, 0)}</span>
                  <span>{t(`eol.bucket.${bucket}`)}</span>
                </a>
              </li>
            ))}
          </ul>
          <p>
            <button type="button" onClick={exportCsv} disabled={eol.data.items.length === 0}>
              {t('eol.exportCsv')}
            </button>
          </p>
          {EOL_BUCKETS.map((bucket) => (
            <section key={bucket} id={`eol-${bucket}`} aria-labelledby={`eol-${bucket}-title`} tabIndex={-1}>
              <h2 id={`eol-${bucket}-title`}>
                {t(`eol.bucket.${bucket}`)} <span class="count">{f.number(buckets[bucket].length, 0)}</span>
              </h2>
              {buckets[bucket].length === 0 ? (
                <p class="muted">{t('eol.nothing')}</p>
              ) : (
                <div class="table-wrap" role="region" aria-label={t(`eol.bucket.${bucket}`)} tabIndex={0}>
                  <table class="eol">
                    <caption class="sr-only">{t(`eol.bucket.${bucket}`)}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('eol.date')}</th>
                        <th scope="col">{t('eol.when')}</th>
                        <th scope="col">{t('finding.system')}</th>
                        <th scope="col">{t('eol.component')}</th>
                        <th scope="col">{t('eol.version')}</th>
                        <th scope="col">{t('finding.rule')}</th>
                      </tr>
                    </thead>
                    {byMonth(buckets[bucket]).map((month) => (
                      <tbody key={month.month}>
                        <tr class="month-row">
                          <th scope="colgroup" colSpan={6}>
                            {f.month(`${month.month}-01`)}
                          </th>
                        </tr>
                        {month.items.map((item) => (
                          <tr key={`${item.system}\u0000${item.component}\u0000${item.cycle ?? item.version ?? ''}\u0000${item.path ?? ''}`}>
                            <td>
                              <time dateTime={item.eol}>{f.day(item.eol)}</time>
                            </td>
                            <td class={item.daysLeft < 0 ? 'warn' : ''}>{f.relativeDays(item.daysLeft)}</td>
                            <td>
                              <a href={paths.system(item.system)}>{item.system}</a>
                            </td>
                            <td>
                              {item.fingerprint ? <a href={paths.finding(item.system, item.fingerprint)}>{item.component}</a> : item.component}
                              {item.path && <span class="path muted"> {item.path}</span>}
                            </td>
                            <td>{item.version ?? item.cycle ?? '–'}</td>
                            <td>{item.rule ? <code>{item.rule}</code> : <span class="muted">–</span>}</td>
                          </tr>
                        ))}
                      </tbody>
                    ))}
                  </table>
                </div>
              )}
            </section>
          ))}
        </>
      )}
    </>
  );
}
