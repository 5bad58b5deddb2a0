import { describe, expect, it } from 'vitest';
import { ageDays, createFormatter, daysBetween, parseDay, relativeParts } from './format.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');

describe('formatter', () => {
  it('shows instants in the given time zone and locale', () => {
    const tokyo = createFormatter('ja-JP', 'Asia/Tokyo');
    expect(tokyo.dateTime('2026-03-10T20:30:00Z')).toBe('2026/03/11 5:30');
    const london = createFormatter('en-GB', 'Europe/London');
    expect(london.dateTime('2026-03-10T20:30:00Z')).toBe('10 Mar 2026, 20:30');
    expect(london.date('2026-03-10T23:30:00Z')).toBe('10 Mar 2026');
    expect(createFormatter('en-US', 'America/New_York').date('2026-03-11T03:00:00Z')).toBe('Mar 10, 2026');
  });

  it('shows calendar dates as written, whatever the time zone', () => {
    expect(createFormatter('en-US', 'America/Los_Angeles').day('2026-04-30')).toBe('Apr 30, 2026');
    expect(createFormatter('ja-JP', 'Pacific/Kiritimati').day('2026-04-30')).toBe('2026/04/30');
    expect(createFormatter('en', 'UTC').month('2026-04-30')).toBe('April 2026');
    expect(createFormatter('ja', 'UTC').month('2026-04-30')).toBe('2026年4月');
    expect(createFormatter('en', 'UTC').day('not a date')).toBe('not a date');
  });

  it('says how long ago in words', () => {
    const en = createFormatter('en', 'UTC');
    expect(en.relative('2026-03-07T12:00:00Z', NOW)).toBe('3 days ago');
    expect(en.relative('2026-03-10T11:59:30Z', NOW)).toBe('30 seconds ago');
    expect(en.relative('2026-03-11T12:00:00Z', NOW)).toBe('tomorrow');
    expect(createFormatter('ja', 'UTC').relative('2026-03-07T12:00:00Z', NOW)).toBe('3 日前');
    expect(en.relative(null, NOW)).toBe('–');
    expect(en.relative('garbage', NOW)).toBe('–');
    expect(en.relativeDays(45)).toBe('in 45 days');
    expect(en.relativeDays(-200)).toBe('7 months ago');
    expect(en.relativeDays(0)).toBe('today');
    expect(createFormatter('ja').relativeDays(90)).toBe('3 か月後');
  });

  it('picks the unit by distance', () => {
    expect(relativeParts(-5000)).toEqual({ value: -5, unit: 'second' });
    expect(relativeParts(-90 * 60_000)).toEqual({ value: -2, unit: 'hour' });
    expect(relativeParts(45 * 86_400_000)).toEqual({ value: 1, unit: 'month' });
    expect(relativeParts(-800 * 86_400_000)).toEqual({ value: -2, unit: 'year' });
  });

  it('formats durations, numbers and percentages', () => {
    const en = createFormatter('en', 'UTC');
    expect(en.duration(850)).toBe('850 ms');
    expect(en.duration(12_340)).toBe('12.3 sec');
    expect(en.duration(245_000)).toBe('4 min 5 sec');
    expect(en.duration(3_720_000)).toBe('1 hr 2 min');
    expect(en.duration(null)).toBe('–');
    expect(en.number(1234.567)).toBe('1,234.57');
    expect(en.number(1234.567, 0)).toBe('1,235');
    expect(en.number(Number.NaN)).toBe('–');
    expect(en.percent(0.125)).toBe('12.5%');
    expect(en.seconds(0.4234)).toBe('0.42 sec');
    expect(createFormatter('ja', 'UTC').duration(12_340)).toBe('12.3 秒');
  });
});

describe('days', () => {
  it('parses calendar dates strictly', () => {
    expect(parseDay('2026-02-01')?.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(parseDay('2026-2-1')).toBeNull();
    expect(parseDay(null)).toBeNull();
  });

  it('counts whole days', () => {
    expect(daysBetween(NOW, NOW + 2.5 * 86_400_000)).toBe(2);
    expect(daysBetween(NOW, NOW - 2.5 * 86_400_000)).toBe(-2);
    expect(ageDays('2026-03-01T12:00:00Z', NOW)).toBe(9);
    expect(ageDays('2026-04-01T12:00:00Z', NOW)).toBe(0);
  });
});
