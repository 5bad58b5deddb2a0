/**
 * A system: its schedule and latest observation, its vital signs as charts with change points,
 * its open findings by aspect, the snapshot timeline and the diff between two snapshots.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { SeriesChart } from '../components/chart.tsx';
import { aspectLabel, ErrorBox, Facts, FindingTable, isNotFound, Loading, StatusBadge, Time } from '../components/common.tsx';
import { ObserveButton } from '../components/observe.tsx';
import { useApp } from '../context.ts';
import { useApi, useTitle } from '../hooks.ts';
import { getJson } from '../api.ts';
import { defaultPair, groupByAspect, isFlat, seriesLabel } from '../model.ts';
import { apiPath, buildQuery } from '../query.ts';
import { paths } from '../router.ts';
import type { Diff, FindingsPage, Series, Snapshot, SystemDetail } from '../types.ts';

const FINDINGS_LIMIT = 200;

export function SystemPage({ system }: { system: string }) {
  const { t, f } = useApp();
  useTitle(system);
  const detail = useApi<SystemDetail>(apiPath('systems', system));
  const [queued, setQueued] = useState<{ latest: string | null; at: number } | null>(null);
  const data = detail.data;
  const running = data?.schedule?.running ?? false;
  const latestId = data?.latestSnapshotId ?? null;

  // While an observation is queued or running, look again every few seconds; when it is over,
  // the sections below load again (they are keyed by the latest snapshot).
  useEffect(() => {
    if (!queued && !running) return;
    const timer = setInterval(detail.reload, 3000);
    return () => clearInterval(timer);
  }, [queued !== null, running]);
  useEffect(() => {
    if (queued && (latestId !== queued.latest || (!running && Date.now() - queued.at > 10_000))) setQueued(null);
  }, [data]);

  if (isNotFound(detail.error)) {
    return (
      <>
        <h1>{system}</h1>
        <p role="alert">{t('system.notFound', { system })}</p>
        <p>
          <a href={paths.overview()}>{t('common.backToOverview')}</a>
        </p>
      </>
    );
  }
  const schedule = data?.schedule ?? null;
  const key = latestId ?? 'none';
  return (
    <>
      <p class="breadcrumb">
        <a href={paths.overview()}>{t('overview.title')}</a>
      </p>
      <div class="page-head">
        <h1>{system}</h1>
        {data && <ObserveButton system={system} running={running} onQueued={() => setQueued({ latest: latestId, at: Date.now() })} />}
      </div>
      {detail.error !== undefined && <ErrorBox error={detail.error} onRetry={detail.reload} />}
      {!data && detail.loading && <Loading />}
      {data && (
        <>
          <nav class="in-page" aria-label={t('system.sections')}>
            <a href="#vitals">{t('system.vitals')}</a>
            <a href="#findings">{t('system.findings')}</a>
            <a href="#timeline">{t('system.timeline')}</a>
            <a href={paths.tls(system)}>{t('nav.tls')}</a>
            <a href={paths.tests(system)}>{t('nav.tests')}</a>
            <a href={paths.backlog(buildQuery({ system: [system] }))}>{t('system.inBacklog')}</a>
          </nav>
          <Facts
            items={[
              [t('system.latest'), data.latestAt ? <><Time iso={data.latestAt} /> {data.latestStatus && <StatusBadge status={data.latestStatus} />}</> : t('overview.never')],
              [t('system.snapshots'), f.number(data.snapshots, 0)],
              [t('system.schedule'), schedule ? `${schedule.cron}${schedule.timezone ? ` (${schedule.timezone})` : ''}` : t('system.noSchedule')],
              [t('system.nextRun'), schedule?.nextRunAt ? <Time iso={schedule.nextRunAt} /> : '–'],
              [t('system.lastRun'), schedule?.lastRunAt ? <><Time iso={schedule.lastRunAt} /> {schedule.lastStatus && <StatusBadge status={schedule.lastStatus} />} {f.duration(schedule.lastDurationMs)}</> : '–'],
              [t('system.failures'), schedule ? f.number(schedule.failures, 0) : '–'],
            ]}
          />
          {data.latest && <ProbeRuns snapshot={data.latest} />}
          <MetricsSection key={`m${key}`} system={system} />
          <FindingsSection key={`f${key}`} system={system} />
          <TimelineSection key={`t${key}`} system={system} />
        </>
      )}
    </>
  );
}

function ProbeRuns({ snapshot }: { snapshot: Snapshot }) {
  const { t, f } = useApp();
  return (
    <details class="probes">
      <summary>{t('system.probeRuns', { n: snapshot.probes.length, failed: snapshot.probes.filter((p) => p.status === 'failed' || p.status === 'partial').length })}</summary>
      <div class="table-wrap" role="region" aria-label={t('system.probeRunsCaption')} tabIndex={0}>
        <table>
          <caption class="sr-only">{t('system.probeRunsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('system.probe')}</th>
              <th scope="col">{t('finding.status')}</th>
              <th scope="col" class="num">
                {t('system.duration')}
              </th>
              <th scope="col">{t('system.errors')}</th>
            </tr>
          </thead>
          <tbody>
            {snapshot.probes.map((probe) => (
              <tr key={probe.id}>
                <th scope="row">{probe.id}</th>
                <td>
                  <StatusBadge status={probe.status} />
                </td>
                <td class="num">{f.duration(probe.durationMs)}</td>
                <td>
                  {probe.errors.length === 0 ? (
                    <span class="muted">–</span>
                  ) : (
                    <ul class="plain">
                      {probe.errors.map((error, i) => (
                        <li key={i}>
                          {error.code && <code>{error.code}</code>} {error.message}
                          {error.path && <span class="path"> ({error.path})</span>}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function MetricsSection({ system }: { system: string }) {
  const { t, f } = useApp();
  const metrics = useApi<{ series: Series[] }>(`${apiPath('systems', system, 'metrics')}${buildQuery({ last: 365 })}`);
  const [probe, setProbe] = useState('');
  const series = metrics.data?.series ?? [];
  const probes = useMemo(() => [...new Set(series.map((s) => s.probe))].sort(), [series]);
  const selected = (probe ? series.filter((s) => s.probe === probe) : series).slice().sort((a, b) => b.changePoints.length - a.changePoints.length || seriesLabel(a.name, a.labels).localeCompare(seriesLabel(b.name, b.labels)));
  const moving = selected.filter((s) => !isFlat(s));
  const steady = selected.filter((s) => isFlat(s));
  return (
    <section id="vitals" aria-labelledby="vitals-title" tabIndex={-1}>
      <h2 id="vitals-title">{t('system.vitals')}</h2>
      {metrics.error !== undefined && <ErrorBox error={metrics.error} onRetry={metrics.reload} />}
      {!metrics.data && metrics.loading && <Loading />}
      {metrics.data &&
        (series.length === 0 ? (
          <p>{t('system.noMetrics')}</p>
        ) : (
          <>
            <div class="toolbar">
              <label>
                {t('system.probeFilter')}
                <select value={probe} onChange={(event) => setProbe(event.currentTarget.value)}>
                  <option value="">{t('common.all')}</option>
                  {probes.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                </select>
              </label>
              <span class="muted">{t('system.chartHelp')}</span>
            </div>
            {moving.length === 0 && <p class="muted">{t('system.nothingMoved')}</p>}
            <div class="charts">
              {moving.map((s) => (
                <SeriesChart key={`${s.probe}\u0000${seriesLabel(s.name, s.labels)}`} series={s} />
              ))}
            </div>
            {steady.length > 0 && (
              <details class="steady">
                <summary>{t('system.steady', { n: steady.length })}</summary>
                <div class="table-wrap" role="region" aria-label={t('system.steady', { n: steady.length })} tabIndex={0}>
                  <table>
                    <caption class="sr-only">{t('system.steady', { n: steady.length })}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('diff.metric')}</th>
                        <th scope="col" class="num">
                          {t('chart.value')}
                        </th>
                        <th scope="col" class="num">
                          {t('system.points')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {steady.map((s) => (
                        <tr key={`${s.probe}\u0000${seriesLabel(s.name, s.labels)}`}>
                          <th scope="row">
                            <code>{seriesLabel(s.name, s.labels)}</code>
                          </th>
                          <td class="num">
                            {f.number(s.points[0]?.value)}
                            {s.unit && ` ${s.unit}`}
                          </td>
                          <td class="num">{f.number(s.points.length, 0)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            )}
          </>
        ))}
    </section>
  );
}

function FindingsSection({ system }: { system: string }) {
  const { t, f } = useApp();
  const findings = useApi<FindingsPage>(`${apiPath('findings')}${buildQuery({ system: [system], limit: FINDINGS_LIMIT })}`);
  const groups = useMemo(() => groupByAspect(findings.data?.findings ?? []), [findings.data]);
  return (
    <section id="findings" aria-labelledby="findings-title" tabIndex={-1}>
      <h2 id="findings-title">{t('system.findings')}</h2>
      {findings.error !== undefined && <ErrorBox error={findings.error} onRetry={findings.reload} />}
      {!findings.data && findings.loading && <Loading />}
      {findings.data && (
        <>
          {findings.data.total === 0 && <p>{t('system.noFindings')}</p>}
          {findings.data.total > findings.data.findings.length && (
            <p>
              {t('system.findingsTruncated', { shown: findings.data.findings.length, total: f.number(findings.data.total, 0) })}{' '}
              <a href={paths.backlog(buildQuery({ system: [system] }))}>{t('system.inBacklog')}</a>
            </p>
          )}
          {groups.map((group) => (
            <section key={group.aspect} class="aspect-group" aria-labelledby={`aspect-${group.aspect}`}>
              <h3 id={`aspect-${group.aspect}`}>
                {aspectLabel(t, group.aspect)} <span class="count">{f.number(group.findings.length, 0)}</span>
              </h3>
              <FindingTable findings={group.findings} caption={aspectLabel(t, group.aspect)} showSystem={false} showAspect={false} />
            </section>
          ))}
        </>
      )}
    </section>
  );
}

function snapshotLabel(f: ReturnType<typeof useApp>['f'], t: ReturnType<typeof useApp>['t'], snapshot: Snapshot): string {
  const revision = snapshot.revision ? ` · ${snapshot.revision.branch ?? ''}@${snapshot.revision.commit.slice(0, 7)}` : '';
  return `${f.dateTime(snapshot.startedAt)} · ${t(`status.${snapshot.status}`)}${revision}`;
}

function TimelineSection({ system }: { system: string }) {
  const { t, f } = useApp();
  const [snapshots, setSnapshots] = useState<Snapshot[]>([]);
  const [state, setState] = useState<{ loading: boolean; error: unknown; more: boolean }>({ loading: true, error: undefined, more: true });
  const [pair, setPair] = useState<{ from: string; to: string } | null>(null);
  const [compare, setCompare] = useState<{ from: string; to: string } | null>(null);
  const PAGE = 50;

  const load = async (before?: string) => {
    setState((s) => ({ ...s, loading: true, error: undefined }));
    try {
      const answer = await getJson<{ snapshots: Snapshot[] }>(`${apiPath('systems', system, 'snapshots')}${buildQuery({ limit: PAGE, before })}`);
      setSnapshots((previous) => {
        const next = before ? [...previous, ...answer.snapshots.filter((s) => !previous.some((p) => p.id === s.id))] : answer.snapshots;
        if (!before) setPair(defaultPair(next.map((s) => s.id)));
        return next;
      });
      setState({ loading: false, error: undefined, more: answer.snapshots.length === PAGE });
    } catch (error) {
      setState({ loading: false, error, more: true });
    }
  };
  useEffect(() => {
    void load();
  }, [system]);

  const oldest = snapshots.at(-1);
  return (
    <section id="timeline" aria-labelledby="timeline-title" tabIndex={-1}>
      <h2 id="timeline-title">{t('system.timeline')}</h2>
      {state.error !== undefined && <ErrorBox error={state.error} onRetry={() => void load(oldest?.startedAt)} />}
      {snapshots.length === 0 && state.loading && <Loading />}
      {snapshots.length === 0 && !state.loading && state.error === undefined && <p>{t('system.noSnapshots')}</p>}
      {snapshots.length >= 2 && pair && (
        <form
          class="toolbar diff-form"
          onSubmit={(event) => {
            event.preventDefault();
            setCompare({ ...pair });
          }}
        >
          <label>
            {t('diff.from')}
            <select value={pair.from} onChange={(event) => setPair({ ...pair, from: event.currentTarget.value })}>
              {snapshots.map((s) => (
                <option key={s.id} value={s.id}>
                  {snapshotLabel(f, t, s)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('diff.to')}
            <select value={pair.to} onChange={(event) => setPair({ ...pair, to: event.currentTarget.value })}>
              {snapshots.map((s) => (
                <option key={s.id} value={s.id}>
                  {snapshotLabel(f, t, s)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t('diff.compare')}</button>
        </form>
      )}
      {compare && <DiffView system={system} from={compare.from} to={compare.to} />}
      {snapshots.length > 0 && (
        <div class="table-wrap" role="region" aria-label={t('system.timeline')} tabIndex={0}>
          <table class="timeline">
            <caption class="sr-only">{t('system.timelineCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('system.started')}</th>
                <th scope="col">{t('finding.status')}</th>
                <th scope="col" class="num">
                  {t('system.duration')}
                </th>
                <th scope="col">{t('system.revision')}</th>
                <th scope="col">{t('system.probesColumn')}</th>
                <th scope="col">
                  <span class="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {snapshots.map((snapshot, i) => {
                const previous = snapshots[i + 1];
                const problems = snapshot.probes.filter((p) => p.status === 'failed' || p.status === 'partial');
                return (
                  <tr key={snapshot.id}>
                    <th scope="row">
                      <time dateTime={snapshot.startedAt}>{f.dateTime(snapshot.startedAt)}</time>
                    </th>
                    <td>
                      <StatusBadge status={snapshot.status} />
                    </td>
                    <td class="num">{f.duration(Date.parse(snapshot.finishedAt) - Date.parse(snapshot.startedAt))}</td>
                    <td>
                      {snapshot.revision ? (
                        <>
                          {snapshot.revision.branch && <span>{snapshot.revision.branch} </span>}
                          <code title={snapshot.revision.commit}>{snapshot.revision.commit.slice(0, 10)}</code>
                        </>
                      ) : (
                        <span class="muted">–</span>
                      )}
                    </td>
                    <td>
                      {t('system.probesRan', { n: snapshot.probes.filter((p) => p.status !== 'skipped').length })}
                      {problems.length > 0 && <span class="warn"> · {problems.map((p) => `${p.id} (${t(`status.${p.status}`)})`).join(', ')}</span>}
                    </td>
                    <td>
                      {previous && (
                        <button
                          type="button"
                          class="link-button"
                          onClick={() => {
                            const next = { from: previous.id, to: snapshot.id };
                            setPair(next);
                            setCompare(next);
                          }}
                        >
                          {t('diff.withPrevious')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {state.more && snapshots.length > 0 && (
        <button type="button" onClick={() => void load(oldest?.startedAt)} disabled={state.loading}>
          {state.loading ? t('common.loading') : t('system.older')}
        </button>
      )}
    </section>
  );
}

function DiffView({ system, from, to }: { system: string; from: string; to: string }) {
  const { t, f } = useApp();
  const diff = useApi<Diff>(`${apiPath('systems', system, 'diff')}${buildQuery({ from, to })}`);
  const data = diff.data;
  const lists = data ? (['new', 'reopened', 'resolved', 'unobserved'] as const).map((kind) => ({ kind, findings: data.findings[kind] ?? [] })) : [];
  return (
    <section class="diff" aria-labelledby="diff-title" aria-busy={diff.loading}>
      <h3 id="diff-title" tabIndex={-1}>
        {t('diff.title')}
      </h3>
      {diff.error !== undefined && <ErrorBox error={diff.error} onRetry={diff.reload} />}
      {diff.loading && <Loading />}
      {data && (
        <>
          <p>
            {t('diff.between', { from: f.dateTime(data.from.startedAt), to: f.dateTime(data.to.startedAt) })}
            {' — '}
            {lists.map((list) => t(`diff.count.${list.kind}`, { n: list.findings.length })).join(t('common.listSeparator'))}
          </p>
          {lists
            .filter((list) => list.findings.length > 0)
            .map((list) => (
              <div key={list.kind}>
                <h4>{t(`diff.count.${list.kind}`, { n: list.findings.length })}</h4>
                <FindingTable findings={list.findings} caption={t(`diff.count.${list.kind}`, { n: list.findings.length })} showSystem={false} />
              </div>
            ))}
          <h4>{t('diff.metrics', { n: data.metrics.length })}</h4>
          {data.metrics.length === 0 ? (
            <p>{t('diff.noMetrics')}</p>
          ) : (
            <div class="table-wrap" role="region" aria-label={t('diff.metrics', { n: data.metrics.length })} tabIndex={0}>
              <table>
                <caption class="sr-only">{t('diff.metrics', { n: data.metrics.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('diff.metric')}</th>
                    <th scope="col" class="num">
                      {t('diff.from')}
                    </th>
                    <th scope="col" class="num">
                      {t('diff.to')}
                    </th>
                    <th scope="col" class="num">
                      {t('diff.delta')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.metrics.map((m) => (
                    <tr key={`${m.probe}\u0000${seriesLabel(m.name, m.labels)}`}>
                      <th scope="row">
                        <code>{seriesLabel(m.name, m.labels)}</code>
                      </th>
                      <td class="num">{f.number(m.from)}</td>
                      <td class="num">{f.number(m.to)}</td>
                      <td class="num">
                        {m.delta === null ? '–' : `${m.delta > 0 ? '+' : ''}${f.number(m.delta)}`}
                        {m.deltaPercent !== null && ` (${m.deltaPercent > 0 ? '+' : ''}${f.number(m.deltaPercent, 1)}%)`}
                        {m.unit && ` ${m.unit}`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
