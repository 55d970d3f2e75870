/** The calendar day at the Italian desks (Europe/Rome), YYYY-MM-DD: every date rule's "today". */
export function todayInRome(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(now);
}
