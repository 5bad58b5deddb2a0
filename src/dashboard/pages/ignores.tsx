/** The ignores made through the API, each removable (DELETE with the token). */
import { useState } from 'preact/hooks';
import { ApiError, send } from '../api.ts';
import { ErrorBox, errorText, Loading } from '../components/common.tsx';
import { useApp } from '../context.ts';
import { useApi, useTitle } from '../hooks.ts';
import { apiPath, buildQuery } from '../query.ts';
import { paths } from '../router.ts';
import type { Ignore } from '../types.ts';

export function IgnoresPage() {
  const { t, f, meta, announce } = useApp();
  useTitle(t('ignores.title'));
  const ignores = useApi<{ ignores: Ignore[] }>(apiPath('ignores'));
  const [error, setError] = useState<unknown>(undefined);
  const readOnly = meta !== null && !meta.writable;
  const remove = async (ignore: Ignore) => {
    setError(undefined);
    try {
      await send('DELETE', apiPath('ignores', String(ignore.id)));
      announce(t('ignore.removed'));
      ignores.reload();
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'cancelled')) setError(e);
    }
  };
  const list = ignores.data?.ignores ?? [];
  return (
    <>
      <h1>{t('ignores.title')}</h1>
      <p class="lead">{t('ignores.help')}</p>
      {error !== undefined && (
        <p class="error" role="alert">
          {errorText(t, error)}
        </p>
      )}
      {ignores.error !== undefined && <ErrorBox error={ignores.error} onRetry={ignores.reload} />}
      {!ignores.data && ignores.loading && <Loading />}
      {ignores.data &&
        (list.length === 0 ? (
          <p>{t('ignores.none')}</p>
        ) : (
          <div class="table-wrap" role="region" aria-label={t('ignores.title')} tabIndex={0}>
            <table>
              <caption class="sr-only">{t('ignores.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('finding.system')}</th>
                  <th scope="col">{t('ignores.what')}</th>
                  <th scope="col">{t('ignore.reason')}</th>
                  <th scope="col">{t('ignore.untilLabel')}</th>
                  <th scope="col">{t('ignores.created')}</th>
                  <th scope="col">
                    <span class="sr-only">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((ignore) => (
                  <tr key={ignore.id}>
                    <td>
                      <a href={paths.system(ignore.system)}>{ignore.system}</a>
                    </td>
                    <td>
                      {ignore.fingerprint ? (
                        <a href={paths.finding(ignore.system, ignore.fingerprint)}>
                          <code class="break">{ignore.fingerprint}</code>
                        </a>
                      ) : (
                        <a href={paths.backlog(buildQuery({ system: [ignore.system], rule: [ignore.rule ?? ''], suppressed: 'include' }))}>
                          <code>{ignore.rule}</code>
                        </a>
                      )}
                    </td>
                    <td class="pre-wrap">{ignore.reason}</td>
                    <td>{ignore.until ? f.day(ignore.until) : t('ignore.forever')}</td>
                    <td>
                      <time dateTime={ignore.createdAt}>{f.dateTime(ignore.createdAt)}</time>
                    </td>
                    <td>
                      <button type="button" onClick={() => void remove(ignore)} disabled={readOnly} aria-label={t('ignores.removeOf', { what: ignore.fingerprint ?? ignore.rule ?? '' })}>
                        {t('ignore.remove')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </>
  );
}
