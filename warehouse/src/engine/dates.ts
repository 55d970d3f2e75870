import type { Granularity } from '../model/cube.types.ts';
import { cubeError } from '../warehouse.errors.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

function validDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && isoDay(d) === s;
}

/** The first day of the bucket of granularity `g` holding `day`. */
export function bucketStart(day: string, g: Granularity): string {
  const d = new Date(`${day}T00:00:00Z`);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (g) {
    case 'day':
      return day;
    case 'week': {
      const dow = (d.getUTCDay() + 6) % 7;
      return isoDay(utc(y, m, d.getUTCDate() - dow));
    }
    case 'month':
      return isoDay(utc(y, m, 1));
    case 'quarter':
      return isoDay(utc(y, m - (m % 3), 1));
    case 'year':
      return isoDay(utc(y, 0, 1));
  }
}

/** The last day of the bucket of granularity `g` holding `day`. */
export function bucketEnd(day: string, g: Granularity): string {
  const start = new Date(`${bucketStart(day, g)}T00:00:00Z`);
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth();
  const next =
    g === 'day'
      ? utc(y, m, start.getUTCDate() + 1)
      : g === 'week'
        ? utc(y, m, start.getUTCDate() + 7)
        : g === 'month'
          ? utc(y, m + 1, 1)
          : g === 'quarter'
            ? utc(y, m + 3, 1)
            : utc(y + 1, 0, 1);
  return isoDay(new Date(next.getTime() - 86_400_000));
}

/** True when [from, to] is made of whole buckets of `g`. */
export function alignedTo(range: [string, string], g: Granularity): boolean {
  return bucketStart(range[0], g) === range[0] && bucketEnd(range[1], g) === range[1];
}

/**
 * A Cube date range: ['2026-01-01', '2026-03-31'] (timestamps are cut to the day) or the
 * relative forms Cube accepts ('today', 'yesterday', 'this month', 'last year', 'last 30 days',
 * 'from 2026-01-01 to 2026-03-31'), read in the hub's day (`today`).
 */
export function resolveDateRange(value: unknown, field: string, today: string): [string, string] {
  let range: [string, string];
  if (Array.isArray(value)) {
    if (value.length !== 2 || value.some((v) => typeof v !== 'string'))
      throw cubeError('CUBE_INVALID_DATE_RANGE', field, 'intervallo di date: servono due date');
    range = [String(value[0]).slice(0, 10), String(value[1]).slice(0, 10)];
  } else if (typeof value === 'string') {
    range = relative(value.trim().toLowerCase(), field, today);
  } else {
    throw cubeError('CUBE_INVALID_DATE_RANGE', field, 'intervallo di date non valido');
  }
  if (!validDay(range[0]) || !validDay(range[1]))
    throw cubeError('CUBE_INVALID_DATE_RANGE', field, `date non valide: ${range.join(' – ')}`);
  if (range[0] > range[1])
    throw cubeError(
      'CUBE_INVALID_DATE_RANGE',
      field,
      `intervallo rovesciato: ${range[0]} è dopo ${range[1]}`,
    );
  return range;
}

function relative(text: string, field: string, today: string): [string, string] {
  const shift = (days: number) =>
    isoDay(new Date(new Date(`${today}T00:00:00Z`).getTime() + days * 86_400_000));
  const from = /^from (\S+) to (\S+)$/.exec(text);
  if (from) return [from[1]!.slice(0, 10), from[2]!.slice(0, 10)];
  if (text === 'today') return [today, today];
  if (text === 'yesterday') return [shift(-1), shift(-1)];
  const lastN = /^last (\d{1,4}) (day|week|month|quarter|year)s?$/.exec(text);
  if (lastN) {
    const n = Number(lastN[1]);
    const g = lastN[2] as Granularity;
    if (g === 'day') return [shift(-n), shift(-1)];
    let start = bucketStart(today, g);
    for (let i = 0; i < n; i++)
      start = bucketStart(
        isoDay(new Date(new Date(`${start}T00:00:00Z`).getTime() - 86_400_000)),
        g,
      );
    return [
      start,
      isoDay(new Date(new Date(`${bucketStart(today, g)}T00:00:00Z`).getTime() - 86_400_000)),
    ];
  }
  const thisOrLast = /^(this|last) (week|month|quarter|year)$/.exec(text);
  if (thisOrLast) {
    const g = thisOrLast[2] as Granularity;
    const anchor =
      thisOrLast[1] === 'this'
        ? today
        : isoDay(new Date(new Date(`${bucketStart(today, g)}T00:00:00Z`).getTime() - 86_400_000));
    return [bucketStart(anchor, g), bucketEnd(anchor, g)];
  }
  throw cubeError(
    'CUBE_INVALID_DATE_RANGE',
    field,
    `intervallo di date non riconosciuto: "${text}"`,
  );
}
