// The periods a cruscotto compares: whole calendar months, quarters and years only, because the
// engine answers protected queries at whole periods (README, "Disclosure control") and refuses
// any other range. Days are ISO strings (YYYY-MM-DD) of the hub's day (Europe/Rome).

export type PeriodKind = 'month' | 'quarter' | 'year';
export type Range = [string, string];

export const PERIOD_MONTHS: Record<PeriodKind, number> = { month: 1, quarter: 3, year: 12 };

const pad = (n: number) => String(n).padStart(2, '0');

/** First day of the month `offset` months from the month of `day`. */
function monthStart(day: string, offset: number): { y: number; m: number } {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7)) - 1 + offset;
  return { y: y + Math.floor(m / 12), m: ((m % 12) + 12) % 12 };
}

function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
}

/** `months` whole months ending with the month `endOffset` months from today's. */
export function monthsRange(today: string, months: number, endOffset = -1): Range {
  const end = monthStart(today, endOffset);
  const start = monthStart(today, endOffset - months + 1);
  return [
    `${start.y}-${pad(start.m + 1)}-01`,
    `${end.y}-${pad(end.m + 1)}-${pad(lastDay(end.y, end.m))}`,
  ];
}

export type Periods = { current: Range; previous: Range; lastYear: Range };

/** A day `months` months from `day`'s month, on the 1st. */
function shiftMonths(day: string, months: number): string {
  const { y, m } = monthStart(day, months);
  return `${y}-${pad(m + 1)}-01`;
}

/**
 * A calendar period (a month, a quarter, a year) from its first day. The engine protects whole
 * calendar periods only (a month, a quarter, a year: "date ranges select whole periods"), so a
 * cruscotto never asks for a rolling 3 or 12 months.
 */
export function periodRange(kind: PeriodKind, start: string): Range {
  const end = monthStart(start, PERIOD_MONTHS[kind] - 1);
  return [start, `${end.y}-${pad(end.m + 1)}-${pad(lastDay(end.y, end.m))}`];
}

/** The first days of the last `n` complete periods of a kind, the most recent first. */
export function periodStarts(kind: PeriodKind, today: string, n: number): string[] {
  const months = PERIOD_MONTHS[kind];
  const { y, m } = monthStart(today, 0);
  // The current period's first month, then back one period: the last complete one.
  const firstMonth = Math.floor(m / months) * months;
  const current = `${y}-${pad(firstMonth + 1)}-01`;
  return Array.from({ length: n }, (_, i) => shiftMonths(current, -months * (i + 1)));
}

/** The period, the one before it, and the same period a year earlier. */
export function periodsOf(kind: PeriodKind, start: string): Periods {
  return {
    current: periodRange(kind, start),
    previous: periodRange(kind, shiftMonths(start, -PERIOD_MONTHS[kind])),
    lastYear: periodRange(kind, shiftMonths(start, -12)),
  };
}

const MONTHS = [
  'gennaio',
  'febbraio',
  'marzo',
  'aprile',
  'maggio',
  'giugno',
  'luglio',
  'agosto',
  'settembre',
  'ottobre',
  'novembre',
  'dicembre',
];

export function periodLabel(kind: PeriodKind, start: string): string {
  const y = start.slice(0, 4);
  const m = Number(start.slice(5, 7)) - 1;
  if (kind === 'year') return y;
  if (kind === 'quarter') return `${Math.floor(m / 3) + 1}° trimestre ${y}`;
  return `${MONTHS[m]} ${y}`;
}

export type Change = { delta: number; percent: number | null } | null;

/** The change from `before` to `now`; null when either is missing or suppressed. */
export function changeOf(now: number | null, before: number | null): Change {
  if (now === null || before === null) return null;
  return { delta: now - before, percent: before === 0 ? null : ((now - before) / before) * 100 };
}

export function todayInRome(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(now);
}
