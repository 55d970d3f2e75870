// The periods a cruscotto compares: whole months only, because the engine answers protected
// queries at whole periods (README, "Disclosure control") and a part-month would be compared
// with a whole one. Days are ISO strings (YYYY-MM-DD) of the hub's day (Europe/Rome).

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

/** The last complete period, the one before it, and the same period a year earlier. */
export function periodsOf(kind: PeriodKind, today: string): Periods {
  const n = PERIOD_MONTHS[kind];
  return {
    current: monthsRange(today, n, -1),
    previous: monthsRange(today, n, -1 - n),
    lastYear: monthsRange(today, n, -13),
  };
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
