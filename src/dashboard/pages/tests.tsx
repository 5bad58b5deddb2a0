/** Tests: the flaky, broken and slow tests of a system, with their evidence. */
import { useMemo, useState } from 'preact/hooks';
import { saveBlob } from '../api.ts';
import { ErrorBox, isNotFound, Loading } from '../components/common.tsx';
import { useApp } from '../context.ts';
import { toCsv } from '../csv.ts';
import { useApi, useTitle } from '../hooks.ts';
import { apiPath, buildQuery } from '../query.ts';
import { paths } from '../router.ts';
import type { Finding, FindingsPage, TestRow, TestsAnswer } from '../types.ts';
import { SystemPicker } from './tls.tsx';

const testName = (row: TestRow) => (row.classname ? `${row.classname}::${row.name}` : row.name);

export function TestsPage({ system }: { system: string | null }) {
  const { t } = useApp();
  useTitle(system ? `${t('tests.title')} – ${system}` : t('tests.title'));
  if (system === null) return <SystemPicker title={t('tests.title')} help={t('tests.pick')} href={paths.tests} />;
  return <TestsOfSystem system={system} />;
}

function TestsOfSystem({ system }: { system: string }) {
  const { t, f } = useApp();
  const all = useApi<TestsAnswer>(apiPath('systems', system, 'tests'));
  const slow = useApi<TestsAnswer>(`${apiPath('systems', system, 'tests')}${buildQuery({ status: 'slow' })}`);
  const findings = useApi<FindingsPage>(`${apiPath('findings')}${buildQuery({ system: [system], rule: ['tests/flaky', 'tests/broken', 'tests/slow'], limit: 500 })}`);
  const byTest = useMemo(() => {
    const map = new Map<string, Finding[]>();
    for (const finding of findings.data?.findings ?? []) {
      const id = typeof finding.data?.id === 'string' ? finding.data.id : null;
      if (!id) continue;
      map.set(id, [...(map.get(id) ?? []), finding]);
    }
    return map;
  }, [findings.data]);
  const tests = all.data?.tests ?? [];
  const flaky = tests.filter((row) => row.status === 'flaky');
  const broken = tests.filter((row) => row.status === 'broken');
  const slowRows = (slow.data?.tests ?? []).filter((row) => row.meanSeconds !== null);

  const exportFlaky = () => {
    const rows = [['id', 'suite', 'file', 'score', 'runs', 'failures', 'flips', 'flakes', 'reasons', 'lastFlake'], ...flaky.map((r) => [r.id, r.suite, r.file, r.score, r.runs, r.failures, r.flips, r.flakes ?? r.evidence?.length ?? null, (r.reasons ?? [...new Set((r.evidence ?? []).map((e) => e.kind))]).join(' '), r.lastFlake])];
    saveBlob(new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' }), `prodeng-flaky-${system}.csv`);
  };

  return (
    <>
      <p class="breadcrumb">
        <a href={paths.tests()}>{t('tests.title')}</a> › <a href={paths.system(system)}>{system}</a>
      </p>
      <h1>
        {t('tests.title')} – {system}
      </h1>
      {isNotFound(all.error) ? <p>{t('tests.none')}</p> : all.error !== undefined && <ErrorBox error={all.error} onRetry={all.reload} />}
      {!all.data && all.loading && <Loading />}
      {all.data && (
        <>
          <p class="lead">
            {t('tests.summary', { runs: f.number(all.data.runs, 0), excluded: f.number(all.data.excludedRuns, 0), tests: f.number(tests.length, 0), flaky: flaky.length, broken: broken.length })}
          </p>
          <section aria-labelledby="flaky-title">
            <h2 id="flaky-title">
              {t('tests.flaky')} <span class="count">{f.number(flaky.length, 0)}</span>
            </h2>
            {flaky.length === 0 ? (
              <p class="muted">{t('tests.noFlaky')}</p>
            ) : (
              <>
                <p>
                  <button type="button" onClick={exportFlaky}>
                    {t('tests.exportFlaky')}
                  </button>
                </p>
                <TestTable rows={flaky} kind="flaky" caption={t('tests.flaky')} findings={byTest} />
              </>
            )}
          </section>
          <section aria-labelledby="broken-title">
            <h2 id="broken-title">
              {t('tests.broken')} <span class="count">{f.number(broken.length, 0)}</span>
            </h2>
            {broken.length === 0 ? <p class="muted">{t('tests.noBroken')}</p> : <TestTable rows={broken} kind="broken" caption={t('tests.broken')} findings={byTest} />}
          </section>
          <section aria-labelledby="slow-title">
            <h2 id="slow-title">
              {t('tests.slow')} <span class="count">{f.number(slowRows.length, 0)}</span>
            </h2>
            {slow.error !== undefined && <ErrorBox error={slow.error} onRetry={slow.reload} />}
            {slowRows.length === 0 ? <p class="muted">{t('tests.noSlow')}</p> : <TestTable rows={slowRows} kind="slow" caption={t('tests.slow')} findings={byTest} />}
          </section>
        </>
      )}
    </>
  );
}

function TestTable({ rows, kind, caption, findings }: { rows: TestRow[]; kind: 'flaky' | 'broken' | 'slow'; caption: string; findings: Map<string, Finding[]> }) {
  const { t, f } = useApp();
  return (
    <div class="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table class="tests">
        <caption class="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('tests.test')}</th>
            {kind === 'flaky' && (
              <th scope="col" class="num">
                {t('tests.score')}
              </th>
            )}
            <th scope="col" class="num">
              {t('tests.runs')}
            </th>
            <th scope="col" class="num">
              {t('tests.failures')}
            </th>
            {kind === 'flaky' && (
              <th scope="col" class="num">
                {t('tests.flips')}
              </th>
            )}
            {kind === 'flaky' && <th scope="col">{t('tests.lastFlake')}</th>}
            <th scope="col" class="num">
              {t('tests.mean')}
            </th>
            <th scope="col" class="num">
              {t('tests.p95')}
            </th>
            <th scope="col">{t('tests.evidence')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const related = (findings.get(row.id) ?? []).filter((finding) => finding.rule === `tests/${kind}`);
            return (
              <tr key={row.id}>
                <th scope="row">
                  <span class="break">{testName(row)}</span>
                  {row.file && <span class="path muted"> {row.file}</span>}
                  {related.map((finding) => (
                    <span key={finding.fingerprint}>
                      {' '}
                      <a href={paths.finding(finding.system, finding.fingerprint)}>{t('tests.finding')}</a>
                    </span>
                  ))}
                </th>
                {kind === 'flaky' && <td class="num">{f.number(row.score, 2)}</td>}
                <td class="num">{f.number(row.runs, 0)}</td>
                <td class="num">{f.number(row.failures, 0)}</td>
                {kind === 'flaky' && <td class="num">{f.number(row.flips, 0)}</td>}
                {kind === 'flaky' && <td>{row.lastFlake ? <time dateTime={row.lastFlake} title={f.dateTime(row.lastFlake)}>{f.relative(row.lastFlake)}</time> : '–'}</td>}
                <td class="num">{f.seconds(row.meanSeconds)}</td>
                <td class="num">{f.seconds(row.p95Seconds)}</td>
                <td>
                  <Evidence row={row} kind={kind} findings={related} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Evidence({ row, kind, findings }: { row: TestRow; kind: 'flaky' | 'broken' | 'slow'; findings: Finding[] }) {
  const { t, f } = useApp();
  const [open, setOpen] = useState(false);
  const slowData = kind === 'slow' ? findings[0]?.data : undefined;
  const hasDetails = (row.evidence?.length ?? 0) > 0 || !!row.lastMessage;
  const reasons = row.reasons ?? [...new Set((row.evidence ?? []).map((e) => e.kind))];
  return (
    <div class="evidence">
      {reasons.length > 0 && <span>{reasons.map((reason) => t(`tests.reason.${reason === 'retry' || reason === 'same-commit' || reason === 'flips' ? reason : 'other'}`)).join(t('common.listSeparator'))}</span>}
      {slowData && typeof slowData.baselineSeconds === 'number' && typeof slowData.recentSeconds === 'number' && (
        <span>{t('tests.regression', { before: f.seconds(slowData.baselineSeconds), after: f.seconds(slowData.recentSeconds) })}</span>
      )}
      {hasDetails && (
        <>
          {' '}
          <button type="button" class="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? t('tests.hideEvidence') : t('tests.showEvidence')}
          </button>
        </>
      )}
      {open && (
        <div class="evidence-detail">
          {row.evidence && row.evidence.length > 0 && (
            <ul class="plain">
              {row.evidence.map((e, i) => (
                <li key={i}>
                  {e.at && <time dateTime={e.at}>{f.dateTime(e.at)}</time>} · {t(`tests.reason.${e.kind === 'retry' || e.kind === 'same-commit' || e.kind === 'flips' ? e.kind : 'other'}`)}
                  {e.runId && ` · ${t('tests.run', { run: e.runId, attempt: e.attempt ?? 1 })}`}
                  {e.branch && ` · ${e.branch}`}
                  {e.commit && (
                    <>
                      {' · '}
                      <code>{e.commit.slice(0, 10)}</code>
                    </>
                  )}
                  {e.status && ` · ${e.status}`}
                </li>
              ))}
            </ul>
          )}
          {row.lastMessage && <pre class="message">{row.lastMessage}</pre>}
        </div>
      )}
    </div>
  );
}
