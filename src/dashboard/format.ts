/**
 * Numbers, dates and durations in the viewer's locale and time zone (Intl only; no DOM).
 * Instants from the API are ISO-8601 UTC and are shown in the viewer's time zone; calendar dates
 * (`YYYY-MM-DD`, e.g. an end-of-life date) are days, not instants, and are shown as written.
 */

export interface Formatter {
  readonly locale: string;
  /** Date and time of an instant, e.g. "1 Jun 2024, 14:00". */
  dateTime(iso: string | null | undefined): string;
  /** Date of an instant in the viewer's time zone. */
  date(iso: string | null | undefined): string;
  /** A calendar date `YYYY-MM-DD` as written (no time zone shift). */
  day(ymd: string | null | undefined): string;
  /** Month and year of a calendar date `YYYY-MM-DD`, e.g. "June 2024". */
  month(ymd: string): string;
  /** "3 days ago", "in 2 hours", relative to `now`. */
  relative(iso: string | null | undefined, now?: number): string;
  /** "in 30 days", "5 days ago", "today" for a number of whole days from today. */
  relativeDays(days: number): string;
  number(value: number | null | undefined, maximumFractionDigits?: number): string;
  percent(ratio: number | null | undefined): string;
  /** A duration in milliseconds: "850 ms", "12 s", "4 min 5 s", "2 h 3 min". */
  duration(ms: number | null | undefined): string;
  /** A duration in seconds with two significant decimals: "0.42 s". */
  seconds(value: number | null | undefined): string;
  /** A short date for chart axes ("Jun 3"), in the viewer's time zone. */
  shortDate(ms: number): string;
  /** A short time of day for chart axes over less than two days ("14:05"). */
  shortTime(ms: number): string;
}

const DASH = '–';
const DAY_MS = 86_400_000;

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Parses `YYYY-MM-DD` as a UTC midnight, or null. */
export function parseDay(ymd: string | null | undefined): Date | null {
  if (!ymd || !/^\d{4}-\d{2}-\d{2}$/.test(ymd)) return null;
  return parse(`${ymd}T00:00:00Z`);
}

/** Whole days from `fromMs` to `toMs` (negative when `to` is earlier), rounded toward zero. */
export function daysBetween(fromMs: number, toMs: number): number {
  return Math.trunc((toMs - fromMs) / DAY_MS);
}

/** Age in whole days of an instant at `now`. */
export function ageDays(iso: string, now: number = Date.now()): number {
  const date = parse(iso);
  return date ? Math.max(0, Math.floor((now - date.getTime()) / DAY_MS)) : 0;
}

type Unit = Intl.RelativeTimeFormatUnit;

/** The unit and amount used to say how far an instant is from now. */
export function relativeParts(deltaMs: number): { value: number; unit: Unit } {
  const abs = Math.abs(deltaMs);
  const sign = deltaMs < 0 ? -1 : 1;
  const steps: [number, Unit][] = [
    [60_000, 'second'],
    [3_600_000, 'minute'],
    [DAY_MS, 'hour'],
    [30 * DAY_MS, 'day'],
    [365 * DAY_MS, 'month'],
  ];
  const sizes: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: DAY_MS, month: 30.44 * DAY_MS, year: 365.25 * DAY_MS };
  let unit: Unit = 'year';
  for (const [limit, candidate] of steps) {
    if (abs < limit) {
      unit = candidate;
      break;
    }
  }
  const value = Math.round(abs / sizes[unit]!) * sign;
  return { value: value === 0 ? 0 : value, unit };
}

export function createFormatter(locale: string, timeZone?: string): Formatter {
  const zone = timeZone ? { timeZone } : {};
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...zone });
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...zone });
  const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const monthFormat = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' });
  const shortFormat = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', ...zone });
  const timeFormat = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', ...zone });
  const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const numberFormats = new Map<number, Intl.NumberFormat>();
  const numberFormat = (digits: number) => {
    let format = numberFormats.get(digits);
    if (!format) numberFormats.set(digits, (format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits })));
    return format;
  };
  const percentFormat = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const unitFormat = (unit: string, digits = 0) => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: digits });
  const ms = unitFormat('millisecond');
  const sec = unitFormat('second', 1);
  const sec2 = unitFormat('second', 2);
  const min = unitFormat('minute');
  const hour = unitFormat('hour');
  const secWhole = unitFormat('second');

  return {
    locale,
    dateTime: (iso) => {
      const date = parse(iso);
      return date ? dateTimeFormat.format(date) : DASH;
    },
    date: (iso) => {
      const date = parse(iso);
      return date ? dateFormat.format(date) : DASH;
    },
    day: (ymd) => {
      const date = parseDay(ymd);
      return date ? dayFormat.format(date) : (ymd ?? DASH);
    },
    month: (ymd) => {
      const date = parseDay(ymd);
      return date ? monthFormat.format(date) : ymd;
    },
    relative: (iso, now = Date.now()) => {
      const date = parse(iso);
      if (!date) return DASH;
      const { value, unit } = relativeParts(date.getTime() - now);
      return relativeFormat.format(value, unit);
    },
    relativeDays: (days) => {
      const abs = Math.abs(days);
      if (abs < 60) return relativeFormat.format(days, 'day');
      if (abs < 730) return relativeFormat.format(Math.round(days / 30.44), 'month');
      return relativeFormat.format(Math.round(days / 365.25), 'year');
    },
    number: (value, digits = 2) => (value === null || value === undefined || !Number.isFinite(value) ? DASH : numberFormat(digits).format(value)),
    percent: (ratio) => (ratio === null || ratio === undefined || !Number.isFinite(ratio) ? DASH : percentFormat.format(ratio)),
    duration: (value) => {
      if (value === null || value === undefined || !Number.isFinite(value) || value < 0) return DASH;
      if (value < 1000) return ms.format(Math.round(value));
      if (value < 60_000) return sec.format(value / 1000);
      if (value < 3_600_000) {
        const minutes = Math.floor(value / 60_000);
        const seconds = Math.round((value % 60_000) / 1000);
        return seconds ? `${min.format(minutes)} ${secWhole.format(seconds)}` : min.format(minutes);
      }
      const hours = Math.floor(value / 3_600_000);
      const minutes = Math.round((value % 3_600_000) / 60_000);
      return minutes ? `${hour.format(hours)} ${min.format(minutes)}` : hour.format(hours);
    },
    seconds: (value) => (value === null || value === undefined || !Number.isFinite(value) ? DASH : sec2.format(value)),
    shortDate: (ms) => (Number.isFinite(ms) ? shortFormat.format(new Date(ms)) : DASH),
    shortTime: (ms) => (Number.isFinite(ms) ? timeFormat.format(new Date(ms)) : DASH),
  };
}
