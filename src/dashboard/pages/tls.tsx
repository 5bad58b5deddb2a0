/** TLS: per endpoint, the protocols × suites matrix, groups, certificate, grade and Mozilla deviations. */
import { ErrorBox, Facts, isNotFound, JsonValue, Loading, SystemLinks, yesNo } from '../components/common.tsx';
import { useApp } from '../context.ts';
import { useApi, useTitle } from '../hooks.ts';
import { tlsMatrix } from '../model.ts';
import { apiPath } from '../query.ts';
import { paths } from '../router.ts';
import type { SystemSummary, TlsAnswer, TlsEndpoint } from '../types.ts';

export function TlsPage({ system }: { system: string | null }) {
  const { t } = useApp();
  useTitle(system ? `${t('tls.title')} – ${system}` : t('tls.title'));
  if (system === null) return <SystemPicker title={t('tls.title')} help={t('tls.pick')} href={paths.tls} />;
  return <TlsOfSystem system={system} />;
}

export function SystemPicker({ title, help, href }: { title: string; help: string; href: (name: string) => string }) {
  const systems = useApi<{ systems: SystemSummary[] }>(apiPath('systems'));
  return (
    <>
      <h1>{title}</h1>
      <p>{help}</p>
      {systems.error !== undefined && <ErrorBox error={systems.error} onRetry={systems.reload} />}
      {!systems.data && systems.loading && <Loading />}
      {systems.data && <SystemLinks names={systems.data.systems.map((s) => s.name)} href={href} />}
    </>
  );
}

function TlsOfSystem({ system }: { system: string }) {
  const { t, f } = useApp();
  const tls = useApi<TlsAnswer>(apiPath('systems', system, 'tls'));
  return (
    <>
      <p class="breadcrumb">
        <a href={paths.tls()}>{t('tls.title')}</a> › <a href={paths.system(system)}>{system}</a>
      </p>
      <h1>
        {t('tls.title')} – {system}
      </h1>
      {isNotFound(tls.error) ? (
        <p>{t('tls.none')}</p>
      ) : (
        tls.error !== undefined && <ErrorBox error={tls.error} onRetry={tls.reload} />
      )}
      {!tls.data && tls.loading && <Loading />}
      {tls.data && (
        <>
          <p class="lead">{t('tls.scanned', { at: f.dateTime(tls.data.at), n: tls.data.endpoints.length })}</p>
          {tls.data.endpoints.length === 0 && <p>{t('tls.none')}</p>}
          {tls.data.endpoints.map((endpoint, i) => (
            <Endpoint key={`${endpoint.target}${i}`} endpoint={endpoint} index={i} />
          ))}
        </>
      )}
    </>
  );
}

function Endpoint({ endpoint, index }: { endpoint: TlsEndpoint; index: number }) {
  const { t, f } = useApp();
  const matrix = tlsMatrix(endpoint);
  const id = `endpoint-${index}`;
  const certificate = endpoint.certificate;
  const grade = endpoint.grade ?? '?';
  const gradeClass = /^A/.test(grade) ? 'good' : /^[BC]$/.test(grade) ? 'fair' : 'bad';
  return (
    <section class="endpoint" aria-labelledby={`${id}-title`}>
      <div class="endpoint-head">
        <h2 id={`${id}-title`} class="break">
          {endpoint.target}
        </h2>
        <p class={`grade grade-${gradeClass}`} aria-label={t('tls.gradeLabel', { grade, score: f.number(endpoint.score ?? null, 0) })}>
          <span class="grade-letter">{grade}</span>
          <span class="grade-score">{f.number(endpoint.score ?? null, 0)}/100</span>
        </p>
      </div>
      <Facts
        items={[
          [t('tls.address'), `${endpoint.ip ?? '–'}${endpoint.port ? `:${endpoint.port}` : ''}`],
          [t('tls.sni'), endpoint.sni ?? '–'],
          [t('tls.serverOrder'), yesNo(t, endpoint.serverOrder)],
          [t('tls.protocols'), matrix.protocols.filter((p) => p.accepted).map((p) => p.name).join(', ') || '–'],
        ]}
      />
      {endpoint.caps && endpoint.caps.length > 0 && (
        <>
          <h3>{t('tls.caps')}</h3>
          <ul>
            {endpoint.caps.map((cap, i) => (
              <li key={i}>{typeof cap === 'string' ? cap : JSON.stringify(cap)}</li>
            ))}
          </ul>
        </>
      )}
      <h3 id={`${id}-matrix`}>{t('tls.matrix')}</h3>
      <div class="table-wrap" role="region" aria-labelledby={`${id}-matrix`} tabIndex={0}>
        <table class="tls-matrix">
          <caption class="sr-only">{t('tls.matrixCaption', { target: endpoint.target })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tls.suite')}</th>
              <th scope="col">{t('tls.strength')}</th>
              {matrix.protocols.map((p) => (
                <th scope="col" key={p.name} class={p.accepted ? '' : 'muted'}>
                  {p.name}
                  <span class="sr-only"> ({p.accepted ? t('tls.accepted') : t('tls.refused')})</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.rows.length === 0 && (
              <tr>
                <td colSpan={matrix.protocols.length + 2}>{t('tls.noSuites')}</td>
              </tr>
            )}
            {matrix.rows.map((row) => (
              <tr key={row.name}>
                <th scope="row">
                  <span class="suite">{row.name}</span> <code class="muted">{row.code}</code>
                </th>
                <td>
                  <span class={`badge strength-${row.strength}`}>{t(`tls.strengthOf.${row.strength}`)}</span>
                </td>
                {row.cells.map((cell, i) => (
                  <td key={i} class={`mark ${cell ?? ''}`}>
                    {cell === 'preferred' ? (
                      <span title={t('tls.preferred')}>
                        ★<span class="sr-only">{t('tls.preferred')}</span>
                      </span>
                    ) : cell === 'offered' ? (
                      <span title={t('tls.offered')}>
                        ✓<span class="sr-only">{t('tls.offered')}</span>
                      </span>
                    ) : (
                      <span class="sr-only">{t('tls.notOffered')}</span>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="legend muted">{t('tls.legend')}</p>
      <div class="columns">
        <div>
          <h3>{t('tls.groups')}</h3>
          {endpoint.groups && endpoint.groups.length > 0 ? (
            <ul class="plain">
              {endpoint.groups.map((group) => (
                <li key={String(group.code)}>
                  {group.name} <code class="muted">{String(group.code)}</code>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">–</p>
          )}
          <h3>{t('tls.mozilla')}</h3>
          {endpoint.mozilla ? (
            <>
              <p>
                {t('tls.mozillaProfile', { profile: endpoint.mozilla.profile })}:{' '}
                <strong class={endpoint.mozilla.compliant ? 'ok' : 'warn'}>{endpoint.mozilla.compliant ? t('tls.compliant') : t('tls.deviations', { n: endpoint.mozilla.deviations.length })}</strong>
              </p>
              {endpoint.mozilla.deviations.length > 0 && (
                <ul>
                  {endpoint.mozilla.deviations.map((deviation, i) => (
                    <li key={i}>{typeof deviation === 'string' ? deviation : JSON.stringify(deviation)}</li>
                  ))}
                </ul>
              )}
            </>
          ) : (
            <p class="muted">–</p>
          )}
          {endpoint.features && (
            <>
              <h3>{t('tls.features')}</h3>
              <Facts items={Object.entries(endpoint.features).map(([key, value]) => [key, typeof value === 'boolean' || value === null ? yesNo(t, value) : <JsonValue value={value} />])} />
            </>
          )}
        </div>
        <div>
          <h3>{t('tls.certificate')}</h3>
          {certificate ? (
            <Facts
              items={[
                [t('tls.subject'), <span class="break">{certificate.subject ?? '–'}</span>],
                [t('tls.issuer'), <span class="break">{certificate.issuer ?? '–'}</span>],
                [t('tls.names'), <JsonValue value={certificate.subjectAltNames ?? []} />],
                [t('tls.validFrom'), f.dateTime(certificate.notBefore)],
                [t('tls.validTo'), `${f.dateTime(certificate.notAfter)}${typeof certificate.daysLeft === 'number' ? ` (${f.relativeDays(certificate.daysLeft)})` : ''}`],
                [t('tls.key'), `${certificate.keyType ?? '–'}${certificate.keyBits ? ` ${certificate.keyBits}` : ''}${typeof certificate.curve === 'string' ? ` ${certificate.curve}` : ''}`],
                [t('tls.signature'), certificate.signatureAlgorithm ?? '–'],
                [t('tls.trusted'), `${yesNo(t, certificate.trusted)}${typeof certificate.trustError === 'string' && certificate.trustError ? ` (${certificate.trustError})` : ''}`],
                [t('tls.hostnameMatch'), yesNo(t, certificate.hostnameMatch)],
                [t('tls.chainInOrder'), yesNo(t, certificate.chainInOrder)],
                [t('tls.selfSigned'), yesNo(t, certificate.selfSigned)],
                [t('tls.fingerprint'), <code class="break">{typeof certificate.fingerprintSha256 === 'string' ? certificate.fingerprintSha256 : '–'}</code>],
              ]}
            />
          ) : (
            <p class="muted">{t('tls.noCertificate')}</p>
          )}
        </div>
      </div>
    </section>
  );
}
