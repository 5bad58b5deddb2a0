import { describe, expect, it } from 'vitest';
import { detectLanguage, dictionaries, en, formatLocale, hasKey, ja, LANGUAGES, placeholders, translate, translator, type Key } from './i18n.ts';

describe('dictionaries', () => {
  const keys = (dict: object) => Object.keys(dict).sort();

  it('have exactly the same keys in every language', () => {
    for (const lang of LANGUAGES) expect(keys(dictionaries[lang])).toEqual(keys(en));
    expect(keys(ja)).toEqual(keys(en));
  });

  it('use the same placeholders in every language', () => {
    for (const key of Object.keys(en) as Key[]) {
      for (const lang of LANGUAGES) expect([key, placeholders(dictionaries[lang][key])]).toEqual([key, placeholders(en[key])]);
    }
  });

  it('have no empty message', () => {
    for (const lang of LANGUAGES) {
      for (const [key, message] of Object.entries(dictionaries[lang])) {
        const forms = typeof message === 'string' ? [message] : [message.one, message.other];
        for (const form of forms) expect(form.trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('translate Japanese messages into Japanese (no English left behind by mistake)', () => {
    const same = (Object.keys(en) as Key[]).filter((key) => JSON.stringify(en[key]) === JSON.stringify(ja[key]));
    // Names and symbols that are the same in both languages.
    expect(same.sort()).toEqual(['aspect.ci', 'backlog.exportCsv', 'backlog.exportMarkdown', 'nav.tls', 'tests.p95', 'tls.title'].sort());
  });

  it('contain no markup', () => {
    for (const lang of LANGUAGES) {
      for (const message of Object.values(dictionaries[lang])) expect(JSON.stringify(message)).not.toMatch(/<[a-z/!]/i);
    }
  });
});

describe('translate', () => {
  it('fills placeholders and formats numbers in the language', () => {
    expect(translate('en', 'backlog.showing', { first: 1, last: 50, total: 1234 }, new Intl.NumberFormat('en'))).toBe('1–50 of 1,234');
    expect(translator('ja')('backlog.showing', { first: 1, last: 50, total: 1234 })).toBe('1,234 件中 1–50 件');
  });

  it('chooses plural forms with Intl.PluralRules', () => {
    const t = translator('en');
    expect(t('chart.changeCount', { n: 1 })).toBe('1 change');
    expect(t('chart.changeCount', { n: 3 })).toBe('3 changes');
    expect(translator('ja')('chart.changeCount', { n: 3 })).toBe('変化点 3');
  });

  it('leaves a missing variable visible and inserts values as plain text', () => {
    const t = translator('en');
    expect(t('error.http')).toBe('The server answered {status}');
    expect(t('system.notFound', { system: '<script>alert(1)</script>' })).toBe('There is no system named “<script>alert(1)</script>”.');
  });

  it('knows its keys', () => {
    expect(hasKey('aspect.security')).toBe(true);
    expect(hasKey('aspect.unknown-thing')).toBe(false);
    expect(hasKey('toString')).toBe(false);
  });
});

describe('language detection', () => {
  it('prefers the saved choice, then the browser languages, then English', () => {
    expect(detectLanguage('ja', ['en-US'])).toBe('ja');
    expect(detectLanguage('fr', ['de-DE', 'ja-JP', 'en'])).toBe('ja');
    expect(detectLanguage(null, ['en-GB', 'ja'])).toBe('en');
    expect(detectLanguage(null, ['fr-FR', 'de'])).toBe('en');
    expect(detectLanguage(null, [])).toBe('en');
    expect(detectLanguage(null, ['JA-jp'])).toBe('ja');
  });

  it('formats in the browser’s variant of the chosen language', () => {
    expect(formatLocale('en', ['en-GB', 'ja-JP'])).toBe('en-GB');
    expect(formatLocale('ja', ['en-GB', 'ja-JP'])).toBe('ja-JP');
    expect(formatLocale('ja', ['en-US'])).toBe('ja');
    expect(formatLocale('en', ['en-not_a_locale!'])).toBe('en');
  });
});
