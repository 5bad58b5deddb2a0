/**
 * The dashboard in a real browser (Debian's Chromium, driven by playwright-core; no browser is
 * downloaded): `prodeng serve` over a store filled by real observations — `prodeng observe` of a
 * git repository whose TODO text, file names and test names carry HTML and script markers, a TLS
 * endpoint served by `openssl s_server`, JUnit runs recorded with `prodeng ingest junit`. Every
 * page loads, shows what it should, logs no console error, causes no CSP violation, and the
 * markers stay text. Screenshots are kept in test-results/dashboard/ as artifacts.
 *
 * How quickly the overview of 100 systems × 365 daily snapshots is usable is measured by
 * bench/serve (docs/benchmarks.md), not here: tests assert behaviour, never time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificate, startOpensslServer, type RunningServer } from '../../src/tls/scanner/test-support/servers.js';
import { BIN, ROOT, runCli, type CliResult } from '../support/cli.js';
import { tempDir, tempRepo, type TempRepo } from '../support/repo.js';

const CHROMIUM = process.env.PRODENG_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = join(ROOT, 'test-results', 'dashboard');
const TOKEN = 'dashboard-e2e-token-0123456789abcdef';

/** Markers that would run if any text reached the page as HTML. */
const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const FILE = `${IMG}.ts`;

const hasChromium = existsSync(CHROMIUM);

// Chromium is a requirement of the suite like nginx and openssl are (.ci/run installs it): without
// it the suite fails, saying what to install, rather than passing without having looked.
if (!hasChromium) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set PRODENG_CHROMIUM)`);

const ok = (result: CliResult) => expect(result.code, `exit ${result.code}\n${result.stdout}\n--- stderr:\n${result.stderr}`).toBe(0);

interface Served {
  url: string;
  stop(): Promise<void>;
  output(): string;
}

/** `prodeng serve` on a free port; resolves once it says where it listens. */
function serve(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', PRODENG_DB: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`prodeng serve did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (https?:\/\/[^\s/]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          output: () => output,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
              setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`prodeng serve exited ${code}:\n${output}`));
    });
  });
}

/** A JUnit file of one suite. Names are escaped as XML, so the markers arrive as text. */
function junit(cases: { classname: string; name: string; outcome: 'pass' | 'fail'; time?: number }[]): string {
  const xml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
  const body = cases
    .map((c) => `  <testcase classname="${xml(c.classname)}" name="${xml(c.name)}" time="${c.time ?? 0.2}">${c.outcome === 'fail' ? '<failure message="expected 1 but was 2">at line 3</failure>' : ''}</testcase>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="suite" tests="${cases.length}">\n${body}\n</testsuite>\n`;
}

/** One page's visit: no console error or warning, no CSP violation, no dialog, nothing injected. */
class Visit {
  readonly problems: string[] = [];
  constructor(readonly page: Page) {
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') this.problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => {
      this.problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
  }

  async check(name: string): Promise<void> {
    // Evaluated in the page (a string: this file is compiled without the DOM's types).
    const state = await this.page.evaluate(`({
      csp: window.__csp ?? [],
      images: document.querySelectorAll('img').length,
      inlineScripts: [...document.scripts].filter((script) => !script.src).length,
      handlers: [...document.querySelectorAll('*')].flatMap((element) => element.getAttributeNames().filter((attribute) => attribute.startsWith('on'))),
      styleAttributes: document.querySelectorAll('[style]').length,
    })`);
    mkdirSync(SHOTS, { recursive: true });
    await this.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    expect(this.problems, name).toEqual([]);
    expect(state, name).toEqual({ csp: [], images: 0, inlineScripts: 0, handlers: [], styleAttributes: 0 });
  }
}

async function newContext(browser: Browser, options: { locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: options.locale ?? 'en-US', colorScheme: options.colorScheme ?? 'light', timezoneId: 'Asia/Tokyo' });
  // Collects CSP violations (an init script is injected by the browser, outside the page's CSP).
  await context.addInitScript(`
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (event) => window.__csp.push(event.violatedDirective + ' ' + event.blockedURI));
  `);
  return context;
}

async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

describe('dashboard in Chromium, over real observations', () => {
  let work: { dir: string; remove(): void };
  let repo: TempRepo;
  let tls: RunningServer | undefined;
  let server: Served;
  let browser: Browser;

  beforeAll(async () => {
    work = tempDir('prodeng-dashboard-');
    repo = tempRepo({ name: 'shop' });
    repo.write(`src/${FILE}`, `// TODO: ${SCRIPT} and ${IMG}\nexport const a = 1;\n`);
    repo.write('src/app.ts', '// FIXME(#12): retry on 503\nexport const b = 2;\n');
    repo.write('.nvmrc', '16\n');
    repo.commit('first', { author: `Mallory ${IMG} <mallory@example.test>`, date: '2023-02-01T10:00:00Z' });

    const certificate = makeCertificate(work.dir);
    tls = await startOpensslServer(certificate);
    writeFileSync(
      join(work.dir, 'prodeng.yml'),
      [
        'systems:',
        '  - name: shop',
        `    repo: ${JSON.stringify(repo.dir)}`,
        '  - name: edge.example',
        `    endpoints: ["tls://127.0.0.1:${tls.port}"]`,
        '',
      ].join('\n'),
    );

    // Test runs: one test flaky on one commit, one always failing, names carrying the markers.
    mkdirSync(join(work.dir, 'reports'));
    const runs: ['pass' | 'fail', string][] = [
      ['fail', 'c0ffee0000001'],
      ['pass', 'c0ffee0000001'],
      ['fail', 'c0ffee0000002'],
      ['pass', 'c0ffee0000002'],
    ];
    for (const [i, [flaky, commit]] of runs.entries()) {
      writeFileSync(
        join(work.dir, 'reports', 'TEST-run.xml'),
        junit([
          { classname: 'com.example.Cart', name: SCRIPT, outcome: flaky },
          { classname: IMG, name: 'always fails', outcome: 'fail' },
          { classname: 'com.example.Cart', name: 'adds items', outcome: 'pass', time: 1.5 },
        ]),
      );
      ok(
        await runCli(['ingest', 'junit', 'reports/TEST-run.xml', '--system', 'shop', '--db', 'db.sqlite', '--run', String(100 + i), '--attempt', '1', '--commit', commit, '--branch', 'main', '--at', new Date(Date.now() - (10 - i) * 3_600_000).toISOString()], {
          cwd: work.dir,
        }),
      );
    }

    ok(await runCli(['observe', '--config', 'prodeng.yml', '--db', 'db.sqlite', '-q'], { cwd: work.dir }));
    repo.write('src/app.ts', `// FIXME(#12): retry on 503\n// TODO: second marker ${SCRIPT}\nexport const b = 2;\n`);
    repo.commit('second', { author: 'Bob <bob@example.test>', date: new Date(Date.now() - 86_400_000).toISOString() });
    ok(await runCli(['observe', '--config', 'prodeng.yml', '--db', 'db.sqlite', '-q'], { cwd: work.dir }));

    server = await serve(work.dir, ['--config', 'prodeng.yml', '--db', 'db.sqlite'], { PRODENG_TOKEN: TOKEN });
    browser = await launch();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await tls?.stop();
    repo?.remove();
    work?.remove();
  });

  /** Opens a page in its own context (its own sessionStorage and localStorage). */
  async function open(path: string, options: { locale?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<{ visit: Visit; page: Page; close(): Promise<void> }> {
    const context = await newContext(browser, options);
    const page = await context.newPage();
    const visit = new Visit(page);
    await page.goto(`${server.url}${path}`);
    return { visit, page, close: () => context.close() };
  }

  it('overview: systems × aspects, trends, what got worse, markers as text', async () => {
    const { visit, page, close } = await open('/');
    await page.locator('table.matrix tbody tr').first().waitFor();
    expect(await page.locator('table.matrix tbody th[scope=row]').allTextContents()).toEqual(expect.arrayContaining(['shop', 'edge.example']));
    const headers = await page.locator('table.matrix thead th').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['Technology upgrade', 'Security', 'Code health', 'Tests', 'CI', 'Performance']));
    await expect.poll(() => page.getByRole('heading', { name: 'What got worse' }).count()).toBe(1);
    await page.getByRole('link', { name: `TODO: ${SCRIPT} and ${IMG}` }).first().waitFor();
    expect(await page.locator('body').textContent()).toContain(FILE);
    expect(await page.title()).toBe('Overview – prodeng');
    await visit.check('overview');
    await close();
  });

  it('system: vital signs with change points, findings by aspect, timeline and a diff', async () => {
    const { visit, page, close } = await open('/systems/shop');
    await page.getByRole('heading', { name: 'shop', level: 1 }).waitFor();
    await page.locator('svg.chart[role=img]').first().waitFor();
    const label = await page.locator('svg.chart[role=img]').first().getAttribute('aria-label');
    expect(label).toMatch(/^Chart of .+: \d+ values from/);
    await page.getByRole('heading', { name: /Code health/, level: 3 }).waitFor();
    await page.getByRole('heading', { name: /Technology upgrade/, level: 3 }).waitFor();
    expect(await page.locator('table.timeline tbody tr').count()).toBe(2);
    await page.getByRole('button', { name: 'Compare with previous' }).click();
    await page.getByRole('heading', { name: 'Differences' }).waitFor();
    await page.getByRole('heading', { name: /1 new/, level: 4 }).waitFor();
    expect(await page.locator('section.diff').textContent()).toContain(`TODO: second marker ${SCRIPT}`);
    await visit.check('system');
    await close();
  });

  it('backlog: ranked, filtered through the URL, paged by the API, exported by the API', async () => {
    const { visit, page, close } = await open('/backlog?limit=2');
    await page.locator('table.findings tbody tr').first().waitFor();
    expect(await page.locator('table.findings tbody tr').count()).toBe(2);
    const status = await page.locator('[role=status].muted').first().textContent();
    expect(status).toMatch(/^1–2 of \d+/);
    await page.getByRole('link', { name: 'Next' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('offset')).toBe('2');
    await page.getByText(/^3–4 of/).waitFor();

    await page.getByRole('checkbox', { name: 'Code health' }).check();
    await page.getByLabel('Text').fill('marker');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('aspect')).toBe('code-health');
    expect(new URL(page.url()).searchParams.get('offset')).toBeNull();
    await page.getByText(/^1–\d+ of \d+/).waitFor();
    const aspects = await page.locator('table.findings tbody td.aspect-cell').allTextContents();
    expect(new Set(aspects)).toEqual(new Set(['Code health']));

    const csv = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
    expect(csv).toBe('/api/v1/findings?aspect=code-health&q=marker&format=csv');
    const markdown = await page.getByRole('link', { name: 'Markdown' }).getAttribute('href');
    expect(markdown).toBe('/api/v1/findings?aspect=code-health&q=marker&format=markdown');
    const exported = await page.request.get(`${server.url}${csv}`);
    expect(exported.status()).toBe(200);
    expect(await exported.text()).toContain('second marker');
    await visit.check('backlog');
    await close();
  });

  it('finding: evidence, history, and an ignore made with the token asked for in a form', async () => {
    const { visit, page, close } = await open('/backlog?q=second');
    await page.getByRole('link', { name: `TODO: second marker ${SCRIPT}` }).click();
    await page.getByRole('heading', { name: `TODO: second marker ${SCRIPT}`, level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Evidence' }).waitFor();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    expect(await page.locator('.facts').first().textContent()).toContain('src/app.ts:2');

    await page.getByLabel('Reason').fill(`accepted for now ${IMG}`);
    await page.getByRole('button', { name: 'Ignore', exact: true }).click();
    // The server needs the token for writes: the form asks for it and takes the focus.
    await page.getByLabel('Token', { exact: true }).waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe('token-input');
    await page.keyboard.type(TOKEN);
    await page.keyboard.press('Enter');
    await page.getByText('Ignored. The finding leaves the backlog', { exact: false }).first().waitFor();
    await page.getByText(`Ignored: accepted for now ${IMG}`).waitFor();
    expect(await page.evaluate(`sessionStorage.getItem('prodeng.token')`)).toBe(TOKEN);
    await visit.check('finding');

    // The ignore is listed and can be removed with the token kept for this tab.
    await page.getByRole('link', { name: 'Ignores' }).click();
    await page.getByRole('heading', { name: 'Ignores', level: 1 }).waitFor();
    await page.locator('table tbody tr').first().waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByText('No ignores made through the API.').waitFor();
    await visit.check('ignores');
    await close();
  });

  it('end-of-life calendar: what passed and what reaches end of life within 3, 6, 12 months', async () => {
    const { visit, page, close } = await open('/eol');
    await page.getByRole('heading', { name: /Already past end of life/ }).waitFor();
    await page.locator('table.eol tbody tr').first().waitFor();
    const text = await page.locator('main').textContent();
    expect(text).toContain('nodejs');
    expect(text).toContain('Within 3 months');
    expect(text).toContain('In 6 to 12 months');
    await visit.check('eol');
    await close();
  });

  it('TLS: protocols × suites matrix, groups, certificate, grade, Mozilla deviations', async () => {
    const { visit, page, close } = await open('/tls');
    await page.getByRole('link', { name: 'edge.example' }).click();
    await page.getByRole('heading', { name: `tls://127.0.0.1:${tls!.port}`, level: 2 }).waitFor();
    expect(await page.locator('.grade-letter').textContent()).toMatch(/^(A\+|A|A-|B|C|D|E|F|T|M)$/);
    const columns = await page.locator('table.tls-matrix thead th').allTextContents();
    expect(columns.join(' ')).toContain('TLSv1.3');
    expect(await page.locator('table.tls-matrix tbody tr').count()).toBeGreaterThan(1);
    expect(await page.locator('table.tls-matrix').textContent()).toMatch(/TLS_AES_\d+_GCM_SHA\d+/);
    for (const heading of ['Key exchange groups', 'Certificate', 'Mozilla guidelines']) await page.getByRole('heading', { name: heading }).waitFor();
    await visit.check('tls');
    await close();
  });

  it('tests: flaky, broken and slow tests with their evidence', async () => {
    const { visit, page, close } = await open('/systems/shop/tests');
    await page.getByRole('heading', { name: /Flaky tests/ }).waitFor();
    await page.getByText(`com.example.Cart::${SCRIPT}`).first().waitFor();
    await page.getByText(`${IMG}::always fails`).first().waitFor();
    await page.getByRole('button', { name: 'Show evidence' }).first().click();
    await page.locator('.evidence-detail li').first().waitFor();
    expect(await page.locator('.evidence-detail').first().textContent()).toContain('c0ffee0000');
    await visit.check('tests');
    await close();
  });

  it('observe now: asks for the token, posts, and the page follows the run', async () => {
    const { visit, page, close } = await open('/systems/shop');
    await page.getByRole('button', { name: 'Observe now' }).click();
    await page.getByLabel('Token', { exact: true }).waitFor();
    await page.keyboard.type(TOKEN);
    await page.keyboard.press('Enter');
    await page.getByText(/An observation of shop has started|An observation is already running/).first().waitFor();
    await expect.poll(async () => page.locator('table.timeline tbody tr').count(), { timeout: 60_000, interval: 1000 }).toBe(3);
    await visit.check('observe-now');
    await close();
  }, 90_000);

  it('Japanese and dark, by the switches, remembered; keyboard: skip link first', async () => {
    const { visit, page, close } = await open('/', { locale: 'en-GB', colorScheme: 'light' });
    await page.locator('table.matrix').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');

    await page.getByLabel('Language').selectOption('ja');
    await page.getByRole('heading', { name: '概要', level: 1 }).waitFor();
    await expect.poll(() => page.evaluate('document.documentElement.lang')).toBe('ja');
    await page.getByLabel('テーマ').selectOption('dark');
    await expect.poll(() => page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    expect(await page.evaluate('getComputedStyle(document.documentElement).backgroundColor')).not.toBe('rgb(255, 255, 255)');
    await page.reload();
    await page.getByRole('heading', { name: '概要', level: 1 }).waitFor();
    expect(await page.evaluate(`[localStorage.getItem('prodeng.language'), document.documentElement.dataset.theme]`)).toEqual(['ja', 'dark']);
    await page.getByRole('link', { name: 'バックログ' }).click();
    await page.getByRole('heading', { name: 'バックログ', level: 1 }).waitFor();
    await visit.check('japanese-dark');
    await close();
  });

  it('follows the browser language by default, and unknown paths get a page that says so', async () => {
    const { visit, page, close } = await open('/no/such/page', { locale: 'ja-JP' });
    await page.getByRole('heading', { name: 'ページが見つかりません' }).waitFor();
    await visit.check('not-found-ja');
    await close();
  });

  it('works on a narrow screen', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    const visit = new Visit(page);
    await page.goto(`${server.url}/systems/shop`);
    await page.locator('svg.chart').first().waitFor();
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await visit.check('narrow');
    await context.close();
  });
});
