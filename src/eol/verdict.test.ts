import { describe, expect, it } from 'vitest';
import type { EolData, EolProduct } from './data.js';
import { cycleFor, EOL_SOON_DAYS, isExactVersion, lowerBound, NODE_CODENAMES, productById, verdict } from './verdict.js';

const NOW = new Date('2026-08-22T12:00:00Z');

describe('cycleFor on the bundled data', () => {
  const cases: Array<[string, string, string | null]> = [
    // Versions: the longest cycle that is a prefix at a dot boundary.
    ['nodejs', '16.20.1', '16'],
    ['nodejs', 'v18.17.0', '18'],
    ['nodejs', '16', '16'],
    ['python', '3.9.18', '3.9'],
    ['python', '3.11', '3.11'],
    ['python', '3.1', '3.1'],
    ['debian', '10.13', '10'],
    ['debian', '12', '12'],
    ['ubuntu', '18.04', '18.04'],
    ['ubuntu', '22.04.3', '22.04'],
    ['alpine-linux', '3.14.2', '3.14'],
    ['postgresql', '11.22', '11'],
    ['postgresql', '9.6.24', '9.6'],
    ['go', '1.21.5', '1.21'],
    ['go', 'go1.21.5', '1.21'],
    ['ruby', '3.2.2', '3.2'],
    ['dotnet', '8.0.100', '8'],
    ['dotnet', '3.1.426', '3.1'],
    ['jenkins', '2.426.1', '2.426'],
    ['windows-server', '2012-r2', '2012-r2'],
    ['mssqlserver', '16.0', '16.0'],
    // Requirements: the lowest version admitted.
    ['nodejs', '^18', '18'],
    ['nodejs', '>=14', '14'],
    ['nodejs', '~16.14', '16'],
    ['nodejs', '18.x', '18'],
    ['nodejs', '^16 || ^18', '16'],
    ['nodejs', '>=18.0.0 <21', '18'],
    ['python', '>=3.9', '3.9'],
    ['python', '>=3.8,<3.13', '3.8'],
    ['python', '^3.10', '3.10'],
    ['python', '~=3.11', '3.11'],
    ['python', '==3.11.*', '3.11'],
    ['python', '!=3.9.*,>=3.8', '3.8'],
    ['python', '3.11-slim', '3.11'],
    ['ruby', '~> 3.2.0', '3.2'],
    ['redis', '^7', '7.0'],
    // Bare short versions float to the newest released cycle they cover.
    ['redis', '7', '7.4'],
    ['python', '3', '3.14'],
    ['python', '3.x', '3.14'],
    ['docker-engine', '24', '24.0'],
    // Java's legacy numbering.
    ['eclipse-temurin', '1.8', '8'],
    ['oracle-jdk', '1.8.0_382', '8'],
    ['eclipse-temurin', '17.0.8+7', '17'],
    // Node.js LTS aliases and codenames (as of 2026-08-22 the newest LTS is 24).
    ['nodejs', 'lts/*', '24'],
    ['nodejs', 'lts', '24'],
    ['nodejs', 'lts/-1', '22'],
    ['nodejs', 'lts/gallium', '16'],
    ['nodejs', 'lts/hydrogen', '18'],
    ['nodejs', 'hydrogen', '18'],
    ['nodejs', 'lts-alpine', '24'],
    // OS codenames from the data.
    ['debian', 'buster', '10'],
    ['debian', 'bookworm-slim', '12'],
    ['ubuntu', 'jammy', '22.04'],
    ['ubuntu', 'focal-20230801', '20.04'],
    // Nothing fits.
    ['nodejs', 'node', null],
    ['nodejs', 'latest', null],
    ['nodejs', 'stable', null],
    ['nodejs', '<18', null],
    ['nodejs', '*', null],
    ['nodejs', '99', null],
    ['nodejs', '', null],
    ['rust', 'nightly-2023-08-01', null],
    ['nodejs', 'current-alpine3.18', null],
    ['nginx', 'stable-alpine3.18', null],
    ['centos', 'centos7', '7'],
    ['python', 'python3.11-slim', '3.11'],
    ['no-such-product', '1.0', null],
  ];
  it.each(cases)('%s %j → %j', (product, value, expected) => {
    expect(cycleFor(product, value, { now: NOW })).toBe(expected);
  });

  it('knows every Node.js LTS codename that the data has a cycle for', () => {
    for (const cycle of Object.values(NODE_CODENAMES)) expect(productById('nodejs')?.cycles.some((entry) => entry.cycle === cycle)).toBe(true);
  });

  it('resolves lts/* on the day given', () => {
    expect(cycleFor('nodejs', 'lts/*', { now: new Date('2023-01-01T00:00:00Z') })).toBe('18');
    expect(cycleFor('nodejs', 'lts/*', { now: new Date('2026-11-01T00:00:00Z') })).toBe('26');
  });
});

describe('lowerBound', () => {
  it.each([
    ['^18', '18'],
    ['>= 3.9, < 4', '3.9'],
    ['<4', null],
    ['latest', null],
    ['1.2 - 1.4', '1.2'],
    ['^2 || ^1.5', '1.5'],
  ])('%j → %j', (requirement, expected) => {
    expect(lowerBound(requirement)).toBe(expected);
  });
});

describe('isExactVersion', () => {
  it.each([
    ['nodejs', '18.17.0', true],
    ['nodejs', '18.17', false],
    ['postgresql', '11.22', true],
    ['ubuntu', '22.04', false],
    ['alpine-linux', '3.14.2', true],
    [null, '1.2.3', true],
    [null, '1.2', false],
    ['nodejs', '18', false],
  ] as const)('%s %s → %s', (product, version, expected) => {
    expect(isExactVersion(product, version)).toBe(expected);
  });
});

describe('verdict', () => {
  const product: EolProduct = {
    title: 'Thing',
    category: 'lang',
    cycles: [
      { cycle: '6', eol: false, latest: '6.0.1' },
      { cycle: '5', eol: '2028-01-01', eoas: '2026-01-01', latest: '5.9.9' },
      { cycle: '4', eol: '2027-02-18' },
      { cycle: '3', eol: '2026-08-22' },
      { cycle: '2', eol: true },
      { cycle: '1', eol: false, eoas: true },
      { cycle: '0', eol: '2029-01-01', eoas: '2026-08-23' },
    ],
  };
  const data: EolData = { source: 't', commit: 't', asOf: '2026-08-22', products: { thing: product } };

  it('supported: no end of life announced', () => {
    expect(verdict(product, '6', NOW)).toEqual({ status: 'supported', eol: null, eoas: null, daysToEol: null, latest: '6.0.1' });
  });
  it('support-ended: active support over, end of life ahead', () => {
    expect(verdict(product, '5', NOW)).toEqual({ status: 'support-ended', eol: '2028-01-01', eoas: '2026-01-01', daysToEol: 497, latest: '5.9.9' });
    expect(verdict(product, '1', NOW).status).toBe('support-ended');
    expect(verdict(product, '0', NOW).status).toBe('supported');
  });
  it('eol-soon: within 180 days', () => {
    expect(verdict(product, '4', NOW)).toMatchObject({ status: 'eol-soon', daysToEol: EOL_SOON_DAYS });
    expect(verdict(product, '4', new Date('2026-08-21T23:59:59Z'))).toMatchObject({ status: 'supported', daysToEol: 181 });
  });
  it('eol: on the day and after; true without a date', () => {
    expect(verdict(product, '3', NOW)).toMatchObject({ status: 'eol', eol: '2026-08-22', daysToEol: 0 });
    expect(verdict(product, '3', new Date('2027-08-22T00:00:00Z'))).toMatchObject({ status: 'eol', daysToEol: -365 });
    expect(verdict(product, '2', NOW)).toEqual({ status: 'eol', eol: null, eoas: null, daysToEol: null, latest: null });
  });
  it('unknown: no such cycle or product', () => {
    expect(verdict(product, '9', NOW).status).toBe('unknown');
    expect(verdict(product, null, NOW).status).toBe('unknown');
    expect(verdict('nope', '1', NOW).status).toBe('unknown');
    expect(verdict('thing', '5', NOW, data).status).toBe('support-ended');
  });
  it('judges the bundled data', () => {
    expect(verdict('nodejs', '16', NOW)).toMatchObject({ status: 'eol', eol: '2023-09-11' });
    expect(verdict('python', '3.9', NOW).status).toBe('eol');
    expect(verdict('ubuntu', '24.04', NOW).status).toBe('supported');
    expect(verdict('nodejs', '22', NOW).status).toBe('support-ended');
  });
});
