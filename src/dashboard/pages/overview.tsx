/**
 * Overview: every system × aspect, each cell the open findings by severity and the trend since a
 * week ago (no chart per cell: 100 systems render as one plain table), then what got worse.
 */
import { useMemo, useState } from 'preact/hooks';
import { aspectLabel, CountChips, countsText, ErrorBox, FindingTable, Loading, StatusBadge, Time, Trend, trendText } from '../components/common.tsx';
import { useApp } from '../context.ts';
import { useApi, useTitle } from '../hooks.ts';
import { aspectColumns, overviewRows, systemCounts, totalOf, type SystemOrder } from '../model.ts';
import { apiPath, buildQuery } from '../query.ts';
import { paths } from '../router.ts';
import type { Overview, OverviewSystem } from '../types.ts';

export function OverviewPage() {
  const { t, f, meta } = useApp();
  useTitle(t('overview.title'));
  const overview = useApi<Overview>(apiPath('overview'));
  const [filter, setFilter] = useState('');
  const [order, setOrder] = useState<SystemOrder>('worst');
  const data = overview.data;
  const columns = useMemo(() => (data ? aspectColumns(data.systems, meta?.aspects ?? []) : []), [data, meta]);
  const rows = useMemo(() => (data ? overviewRows(data.systems, filter, order) : []), [data, filter, order]);
  // The same element while nothing it shows changed: Preact then skips the 100 rows entirely.
  const body = useMemo(() => <MatrixBody rows={rows} columns={columns} />, [rows, columns, t, f]);

  return (
    <>
      <h1>{t('overview.title')}</h1>
      {overview.error !== undefined && <ErrorBox error={overview.error} onRetry={overview.reload} />}
      {!data && overview.loading && <Loading />}
      {data && (
        <>
          <p class="lead">
            {t('overview.summary', { n: data.systems.length })} <Time iso={data.generatedAt} />
          </p>
          <section aria-labelledby="matrix-title">
            <h2 id="matrix-title">{t('overview.matrix')}</h2>
            <div class="toolbar">
              <label>
                {t('overview.filter')}
                <input type="search" value={filter} onInput={(event) => setFilter(event.currentTarget.value)} />
              </label>
              <label>
                {t('overview.order')}
                <select value={order} onChange={(event) => setOrder(event.currentTarget.value as SystemOrder)}>
                  <option value="worst">{t('overview.orderWorst')}</option>
                  <option value="name">{t('overview.orderName')}</option>
                </select>
              </label>
              <span class="muted" role="status">
                {t('overview.shown', { n: rows.length, total: data.systems.length })}
              </span>
            </div>
            {data.systems.length === 0 ? (
              <p>{t('overview.noSystems')}</p>
            ) : (
              <div class="table-wrap" role="region" aria-labelledby="matrix-title" tabIndex={0}>
                <table class="matrix">
                  <caption class="sr-only">{t('overview.matrixCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('overview.system')}</th>
                      <th scope="col">{t('overview.latest')}</th>
                      {columns.map((aspect) => (
                        <th scope="col" key={aspect}>
                          {aspectLabel(t, aspect)}
                        </th>
                      ))}
                      <th scope="col">{t('overview.total')}</th>
                    </tr>
                  </thead>
                  {body}
                </table>
              </div>
            )}
            <p class="legend muted">{t('overview.legend')}</p>
          </section>
          <section aria-labelledby="worse-title" class="worse-section">
            <h2 id="worse-title">{t('overview.worse')}</h2>
            <p class="muted">{t('overview.worseHelp')}</p>
            {data.worse.length === 0 ? <p>{t('overview.nothingWorse')}</p> : <FindingTable findings={data.worse} caption={t('overview.worse')} />}
          </section>
        </>
      )}
    </>
  );
}

/** The matrix's rows: one per system, a link per non-empty cell with its counts and trend. */
function MatrixBody({ rows, columns }: { rows: OverviewSystem[]; columns: string[] }) {
  const { t } = useApp();
  return (
    <tbody>
      {rows.map((system) => (
        <tr key={system.name}>
          <th scope="row">
            <a href={paths.system(system.name)}>{system.name}</a>
          </th>
          <td class="latest">
            {system.latestAt ? <Time iso={system.latestAt} /> : <span class="muted">{t('overview.never')}</span>}
            {system.latestStatus && system.latestStatus !== 'complete' && <StatusBadge status={system.latestStatus} />}
          </td>
          {columns.map((aspect) => {
            const cell = system.aspects[aspect];
            const open = cell?.open;
            if (!cell || (totalOf(open) === 0 && totalOf(cell.weekAgo) === 0)) {
              return (
                <td key={aspect} class="cell empty">
                  0
                </td>
              );
            }
            return (
              <td key={aspect} class="cell">
                <a href={paths.backlog(buildQuery({ system: [system.name], aspect: [aspect] }))} aria-label={`${aspectLabel(t, aspect)}: ${countsText(t, open)}; ${trendText(t, open, cell.weekAgo)}`}>
                  <CountChips counts={open} />
                  <Trend now={open} weekAgo={cell.weekAgo} />
                </a>
              </td>
            );
          })}
          <td class="cell">
            <a href={paths.backlog(buildQuery({ system: [system.name] }))} aria-label={`${t('overview.total')}: ${countsText(t, systemCounts(system))}`}>
              <CountChips counts={systemCounts(system)} />
            </a>
          </td>
        </tr>
      ))}
    </tbody>
  );
}
