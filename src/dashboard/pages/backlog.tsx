/**
 * Backlog: every open finding across systems ranked by priority, filtered by aspect, severity,
 * system, rule, age and text, paged through the API (offset/limit), exported as CSV or Markdown
 * by the API. The filters live in the page's URL.
 */
import { useEffect, useState } from 'preact/hooks';
import { download } from '../api.ts';
import { aspectLabel, ErrorBox, errorText, FindingTable, Loading } from '../components/common.tsx';
import { useApp } from '../context.ts';
import { useApi, useTitle } from '../hooks.ts';
import { apiPath, filterFromSearch, filterToSearch, findingsApiUrl, PAGE_SIZES, paging, SORTS, splitList, STATUSES, type BacklogFilter } from '../query.ts';
import { paths } from '../router.ts';
import { SEVERITIES, type FindingsPage, type SystemSummary } from '../types.ts';

/** The form's state: lists as typed (comma-separated). */
type Draft = Omit<BacklogFilter, 'system' | 'rule'> & { system: string; rule: string };

function toDraft(filter: BacklogFilter): Draft {
  return { ...filter, system: filter.system.join(', '), rule: filter.rule.join(', ') };
}

export function BacklogPage({ search }: { search: string }) {
  const { t, f, meta, navigate } = useApp();
  useTitle(t('backlog.title'));
  const filter = filterFromSearch(search);
  const results = useApi<FindingsPage>(findingsApiUrl(filter));
  const systems = useApi<{ systems: SystemSummary[] }>(apiPath('systems'));
  const [draft, setDraft] = useState<Draft>(toDraft(filter));
  const [exportError, setExportError] = useState<unknown>(undefined);
  useEffect(() => setDraft(toDraft(filterFromSearch(search))), [search]);

  const apply = (next: Draft) => navigate(paths.backlog(filterToSearch({ ...next, system: splitList(next.system), rule: splitList(next.rule), offset: 0 })));
  const aspects = meta?.aspects?.length ? meta.aspects : ['technology-upgrade', 'security', 'code-health', 'tests', 'ci', 'performance', 'availability', 'cost', 'governance'];
  const data = results.data;
  const page = data ? paging(data.total, data.offset, data.limit) : null;

  // A link cannot send the token: when the API wants one for reads, the export is fetched.
  const exportLink = (format: 'csv' | 'markdown') => {
    const href = findingsApiUrl(filter, format);
    const filename = `prodeng-backlog.${format === 'csv' ? 'csv' : 'md'}`;
    return (
      <a
        href={href}
        download={filename}
        onClick={(event) => {
          if (!meta?.authRequired) return;
          event.preventDefault();
          setExportError(undefined);
          download(href, filename, format === 'csv' ? 'text/csv' : 'text/markdown').catch(setExportError);
        }}
      >
        {t(format === 'csv' ? 'backlog.exportCsv' : 'backlog.exportMarkdown')}
      </a>
    );
  };

  return (
    <>
      <h1>{t('backlog.title')}</h1>
      <form
        class="filters"
        aria-label={t('backlog.filters')}
        onSubmit={(event) => {
          event.preventDefault();
          apply(draft);
        }}
      >
        <div class="filter-grid">
          <label>
            {t('backlog.search')}
            <input type="search" value={draft.q} onInput={(event) => setDraft({ ...draft, q: event.currentTarget.value })} />
          </label>
          <label>
            {t('backlog.system')}
            <input
              type="text"
              list="system-names"
              value={draft.system}
              placeholder={t('backlog.listPlaceholder')}
              onInput={(event) => setDraft({ ...draft, system: event.currentTarget.value })}
            />
            <datalist id="system-names">
              {(systems.data?.systems ?? []).map((s) => (
                <option key={s.name} value={s.name} />
              ))}
            </datalist>
          </label>
          <label>
            {t('backlog.rule')}
            <input type="text" value={draft.rule} placeholder={t('backlog.rulePlaceholder')} onInput={(event) => setDraft({ ...draft, rule: event.currentTarget.value })} />
          </label>
          <label>
            {t('backlog.severity')}
            <select value={draft.severity} onChange={(event) => setDraft({ ...draft, severity: event.currentTarget.value as BacklogFilter['severity'] })}>
              <option value="">{t('common.all')}</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {t('backlog.atLeast', { severity: t(`severity.${s}`) })}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('backlog.minAge')}
            <input
              type="number"
              min="0"
              step="1"
              inputMode="numeric"
              value={draft.minAgeDays ?? ''}
              onInput={(event) => {
                const value = event.currentTarget.value;
                setDraft({ ...draft, minAgeDays: /^\d+$/.test(value) ? Number(value) : null });
              }}
            />
          </label>
          <label>
            {t('backlog.status')}
            <select value={draft.status} onChange={(event) => setDraft({ ...draft, status: event.currentTarget.value as BacklogFilter['status'] })}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`backlog.statusFilter.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('backlog.sort')}
            <select value={draft.sort} onChange={(event) => setDraft({ ...draft, sort: event.currentTarget.value as BacklogFilter['sort'] })}>
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`backlog.sortBy.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('backlog.pageSize')}
            <select value={String(draft.limit)} onChange={(event) => setDraft({ ...draft, limit: Number(event.currentTarget.value) })}>
              {PAGE_SIZES.map((n) => (
                <option key={n} value={String(n)}>
                  {f.number(n, 0)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset class="aspects">
          <legend>{t('backlog.aspects')}</legend>
          {aspects.map((aspect) => (
            <label key={aspect} class="check">
              <input
                type="checkbox"
                checked={draft.aspect.includes(aspect)}
                onChange={(event) => setDraft({ ...draft, aspect: event.currentTarget.checked ? [...draft.aspect, aspect] : draft.aspect.filter((a) => a !== aspect) })}
              />
              {aspectLabel(t, aspect)}
            </label>
          ))}
        </fieldset>
        <label class="check">
          <input type="checkbox" checked={draft.suppressed} onChange={(event) => setDraft({ ...draft, suppressed: event.currentTarget.checked })} />
          {t('backlog.includeSuppressed')}
        </label>
        <div class="actions">
          <button type="submit" class="primary">
            {t('backlog.apply')}
          </button>
          <a href={paths.backlog()} class="button">
            {t('backlog.reset')}
          </a>
        </div>
      </form>

      <section aria-labelledby="results-title" aria-busy={results.loading}>
        <div class="results-head">
          <h2 id="results-title">{t('backlog.results')}</h2>
          <p class="exports">
            {t('backlog.export')} {exportLink('csv')} · {exportLink('markdown')}
          </p>
        </div>
        {exportError !== undefined && (
          <p class="error" role="alert">
            {errorText(t, exportError)}
          </p>
        )}
        {results.error !== undefined && <ErrorBox error={results.error} onRetry={results.reload} />}
        {!data && results.loading && <Loading />}
        {data && page && (
          <>
            <p role="status" class="muted">
              {data.total === 0 ? t('backlog.none') : t('backlog.showing', { first: f.number(page.first, 0), last: f.number(page.last, 0), total: f.number(data.total, 0) })}
              {results.loading && ` · ${t('common.loading')}`}
            </p>
            {data.findings.length > 0 && <FindingTable findings={data.findings} caption={t('backlog.results')} rankFrom={data.offset + 1} />}
            {page.pages > 1 && (
              <nav class="pager" aria-label={t('backlog.pages')}>
                {page.previous !== null ? (
                  <a href={paths.backlog(filterToSearch({ ...filter, offset: page.previous }))} rel="prev">
                    {t('backlog.previous')}
                  </a>
                ) : (
                  <span class="muted">{t('backlog.previous')}</span>
                )}
                <span>{t('backlog.page', { page: f.number(page.page, 0), pages: f.number(page.pages, 0) })}</span>
                {page.next !== null ? (
                  <a href={paths.backlog(filterToSearch({ ...filter, offset: page.next }))} rel="next">
                    {t('backlog.next')}
                  </a>
                ) : (
                  <span class="muted">{t('backlog.next')}</span>
                )}
              </nav>
            )}
          </>
        )}
      </section>
    </>
  );
}
