/**
 * The dashboard's shell: skip link, header (navigation, language, theme, token), the token form
 * when the API asks for one, the current page, and a live region for announcements.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { onTokenChange, setToken, setTokenPrompt, token, type TokenReason } from './api.ts';
import { AppContext, useApp, type AppContextValue } from './context.ts';
import { createFormatter } from './format.ts';
import { useApi } from './hooks.ts';
import { detectLanguage, formatLocale, LANGUAGES, languageName, translator, type Lang } from './i18n.ts';
import { BacklogPage } from './pages/backlog.tsx';
import { EolPage } from './pages/eol.tsx';
import { FindingPage } from './pages/finding.tsx';
import { IgnoresPage } from './pages/ignores.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { SystemPage } from './pages/system.tsx';
import { TestsPage } from './pages/tests.tsx';
import { TlsPage } from './pages/tls.tsx';
import { applyTheme, prefs, THEMES, type Theme } from './prefs.ts';
import { apiPath } from './query.ts';
import { isPlainClick, parseRoute, paths, section, type Route } from './router.ts';
import type { Meta } from './types.ts';

function currentRoute(): Route {
  return parseRoute(window.location.pathname, window.location.search);
}

export function App() {
  const [lang, setLang] = useState<Lang>(() => detectLanguage(prefs.language(), navigator.languages ?? [navigator.language]));
  const [theme, setTheme] = useState<Theme>(() => prefs.theme());
  const [route, setRoute] = useState<Route>(currentRoute);
  const [tokenRequest, setTokenRequest] = useState<{ reason: TokenReason | 'manual'; resolve(token: string | null): void } | null>(null);
  const [hasToken, setHasToken] = useState(() => token() !== null);
  const [announcement, setAnnouncement] = useState('');
  const meta = useApi<Meta>(apiPath('meta'));
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // The translator and formatter change only with the language, so that pages can memoise on them.
  const words = useMemo(() => ({ t: translator(lang), f: createFormatter(formatLocale(lang, navigator.languages ?? [navigator.language])) }), [lang]);
  const value = useMemo<AppContextValue>(() => {
    return {
      lang,
      t: words.t,
      f: words.f,
      meta: meta.data ?? null,
      navigate: (path, options) => {
        if (options?.replace) history.replaceState(null, '', path);
        else history.pushState(null, '', path);
        setRoute(currentRoute());
      },
      announce: (message) => {
        setAnnouncement('');
        setTimeout(() => setAnnouncement(message), 50);
      },
    };
  }, [lang, words, meta.data]);
  const { t } = value;

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => applyTheme(theme), [theme]);
  useEffect(() => onTokenChange(() => setHasToken(token() !== null)), []);

  // The API client asks for the token through this form.
  useEffect(() => {
    setTokenPrompt((reason) => new Promise((resolve) => setTokenRequest({ reason, resolve })));
  }, []);

  // History routing: same-origin links to dashboard paths are handled here; back/forward too.
  useEffect(() => {
    const onPop = () => setRoute(currentRoute());
    const onClick = (event: MouseEvent) => {
      if (!isPlainClick(event)) return;
      const link = (event.target as Element | null)?.closest?.('a');
      if (!link || link.hasAttribute('download') || (link.target && link.target !== '_self')) return;
      const url = new URL(link.href, window.location.href);
      if (url.origin !== window.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/metrics' || url.pathname === '/healthz') return;
      if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) return; // in-page anchor
      event.preventDefault();
      history.pushState(null, '', url.pathname + url.search + url.hash);
      setRoute(currentRoute());
    };
    window.addEventListener('popstate', onPop);
    document.addEventListener('click', onClick);
    return () => {
      window.removeEventListener('popstate', onPop);
      document.removeEventListener('click', onClick);
    };
  }, []);

  // After a navigation, focus moves to the page (not on the first load, where it stays at the top).
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    window.scrollTo(0, 0);
    mainRef.current?.focus({ preventScroll: true });
  }, [route]);

  const current = section(route);
  const navItems: { key: NonNullable<ReturnType<typeof section>>; href: string }[] = [
    { key: 'overview', href: paths.overview() },
    { key: 'backlog', href: paths.backlog() },
    { key: 'eol', href: paths.eol() },
    { key: 'tls', href: paths.tls() },
    { key: 'tests', href: paths.tests() },
    { key: 'ignores', href: paths.ignores() },
  ];

  return (
    <AppContext.Provider value={value}>
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header class="top">
        <a class="brand" href={paths.overview()}>
          prodeng
        </a>
        <nav aria-label={t('nav.label')}>
          <ul>
            {navItems.map((item) => (
              <li key={item.key}>
                <a href={item.href} aria-current={current === item.key ? 'page' : undefined}>
                  {t(`nav.${item.key}`)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="tools">
          <label>
            <span class="sr-only">{t('prefs.language')}</span>
            <select
              value={lang}
              onChange={(event) => {
                const next = event.currentTarget.value as Lang;
                prefs.setLanguage(next);
                setLang(next);
              }}
            >
              {LANGUAGES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {languageName(l)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span class="sr-only">{t('prefs.theme')}</span>
            <select
              value={theme}
              onChange={(event) => {
                const next = event.currentTarget.value as Theme;
                prefs.setTheme(next);
                setTheme(next);
              }}
            >
              {THEMES.map((th) => (
                <option key={th} value={th}>
                  {t(`prefs.theme.${th}`)}
                </option>
              ))}
            </select>
          </label>
          {meta.data && !meta.data.writable && !meta.data.authRequired ? null : hasToken ? (
            <button type="button" onClick={() => setToken(null)}>
              {t('token.forget')}
            </button>
          ) : (
            <button type="button" onClick={() => setTokenRequest({ reason: 'manual', resolve: (value) => value && setToken(value) })} aria-expanded={tokenRequest !== null}>
              {t('token.set')}
            </button>
          )}
        </div>
      </header>
      {meta.data?.authRequired === false && meta.data.writable === false && <p class="banner">{t('meta.readOnly')}</p>}
      {tokenRequest && (
        <TokenForm
          reason={tokenRequest.reason}
          onDone={(value) => {
            const request = tokenRequest;
            setTokenRequest(null);
            request.resolve(value);
            // Another request may have asked meanwhile: the meta, at least, is loaded again.
            if (value && meta.error !== undefined) meta.reload();
          }}
        />
      )}
      <main id="main" ref={mainRef} tabIndex={-1}>
        <Page route={route} />
      </main>
      <footer class="foot">
        <span>
          prodeng {meta.data?.version ?? ''}
          {meta.data?.eolData && ` · ${t('meta.eolData', { source: meta.data.eolData.source, asOf: meta.data.eolData.asOf.slice(0, 10) })}`}
        </span>
      </footer>
      <div class="sr-only" aria-live="polite" role="status">
        {announcement}
      </div>
    </AppContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'backlog':
      return <BacklogPage search={route.search} />;
    case 'system':
      return <SystemPage key={route.system} system={route.system} />;
    case 'finding':
      return <FindingPage key={`${route.system}/${route.fingerprint}`} system={route.system} fingerprint={route.fingerprint} />;
    case 'eol':
      return <EolPage />;
    case 'tls':
      return <TlsPage key={route.system ?? ''} system={route.system} />;
    case 'tests':
      return <TestsPage key={route.system ?? ''} system={route.system} />;
    case 'ignores':
      return <IgnoresPage />;
    default:
      return <NotFound path={route.path} />;
  }
}

function NotFound({ path }: { path: string }) {
  const { t } = useApp();
  return (
    <>
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text', { path })}</p>
      <p>
        <a href={paths.overview()}>{t('common.backToOverview')}</a>
      </p>
    </>
  );
}

function TokenForm({ reason, onDone }: { reason: TokenReason | 'manual'; onDone(token: string | null): void }) {
  const { t } = useApp();
  const input = useRef<HTMLInputElement>(null);
  const previous = useRef<Element | null>(null);
  const [value, setValue] = useState('');
  useEffect(() => {
    previous.current = document.activeElement;
    input.current?.focus();
  }, []);
  const finish = (result: string | null) => {
    onDone(result);
    if (previous.current instanceof HTMLElement && previous.current.isConnected) previous.current.focus();
  };
  return (
    <section class="token-panel" aria-labelledby="token-title" onKeyDown={(event) => event.key === 'Escape' && finish(null)}>
      <h2 id="token-title">{t('token.title')}</h2>
      <p id="token-reason">{t(`token.reason.${reason}`)}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (value.trim()) finish(value.trim());
        }}
      >
        <label for="token-input">{t('token.label')}</label>
        <input id="token-input" ref={input} type="password" autoComplete="off" spellcheck={false} required value={value} aria-describedby="token-reason token-note" onInput={(event) => setValue(event.currentTarget.value)} />
        <button type="submit" class="primary">
          {t('token.save')}
        </button>
        <button type="button" onClick={() => finish(null)}>
          {t('token.cancel')}
        </button>
      </form>
      <p id="token-note" class="muted">
        {t('token.note')}
      </p>
    </section>
  );
}
