// Every date rule (not in the future, valid on, enabled from, the day of a record) counts days
// in Italy's time, so that a record saved at 00:30 in Rome is dated that day, not the day before.

/** The time zone of every calendar day the domain stores or compares. */
export const DOMAIN_TIME_ZONE = 'Europe/Rome';

const ROME_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: DOMAIN_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The calendar day in Rome at the instant `at`, YYYY-MM-DD.
 *
 * @example
 * dayInRome(new Date('2026-03-28T23:30:00Z')); // '2026-03-29'
 */
export function dayInRome(at: Date): string {
  const parts = Object.fromEntries(ROME_DAY.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']}`;
}

/**
 * Today in Rome, YYYY-MM-DD: the "today" of every date rule ("not in the future", "valid on").
 *
 * @example
 * if (input.on > todayInRome()) throw new CaseworkError('FUTURE_DATE', 'la data è nel futuro');
 */
export function todayInRome(now: Date = new Date()): string {
  return dayInRome(now);
}

/**
 * The calendar day `days` after `day` (before, when negative), both YYYY-MM-DD.
 *
 * @example
 * shiftDay(todayInRome(), -1); // yesterday in Rome
 */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
